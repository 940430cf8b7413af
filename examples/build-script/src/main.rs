//! Prints the id of the image that `build.rs` built while this program was compiled.

/// Written by build.rs.
const IMAGE_ID: &str = include_str!(concat!(env!("OUT_DIR"), "/image-id.txt"));

fn main() {
    println!("dockhand-example/build-script:latest is {IMAGE_ID}");
}
