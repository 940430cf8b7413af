#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dockhand::__fuzz::hijack_head(data));
