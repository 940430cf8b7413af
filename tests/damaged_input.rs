//! Every decoder against damaged input, on every test run: good inputs (frames, raw TTY
//! bytes, JSON lines, hijack answers, addresses, settings files, docker configs) damaged
//! by a fixed-seed xorshift (bits flipped, bytes put in, cut out, repeated, spliced from
//! another input, the end cut off) and fed to the decoders' fuzz entry points
//! (`dockhand::__fuzz`), which panic when a decoder breaks a promise. No engine is needed.
//!
//! The inputs are the same on every run; how many of them run is set by time: each decoder
//! gets about half a second (never fewer than `MIN_ROUNDS` inputs, however slow the
//! machine), so the whole file takes a few seconds. A failure names its round and input.
//! The same entry points are cargo-fuzz targets in `tests/fuzz`, for longer runs.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

/// Each decoder's share of time.
const BUDGET: Duration = Duration::from_millis(500);
/// Damaged inputs run whatever the time.
const MIN_ROUNDS: usize = 300;
/// And never more than this.
const MAX_ROUNDS: usize = 100_000;

use dockhand::__fuzz;

/// xorshift64*: a fixed seed gives the same inputs on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that mean something to one decoder or another.
const TELLING: &[u8] = b"\x00\x01\x02\x03\xff\r\n\"{}[]:,@/\\#='` \x7f";

/// One input damaged in one to four ways.
fn damage(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..=rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(8) {
            0 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] ^= 1 << rng.below(8);
            }
            1 if !data.is_empty() => {
                let i = rng.below(data.len());
                data[i] = TELLING[rng.below(TELLING.len())];
            }
            2 => {
                let byte = if rng.below(2) == 0 {
                    TELLING[rng.below(TELLING.len())]
                } else {
                    rng.next() as u8
                };
                data.insert(at, byte);
            }
            3 => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at.min(end)..end);
            }
            4 => {
                let end = (at + 1 + rng.below(32)).min(data.len());
                let piece = data[at.min(end)..end].to_vec();
                let again = rng.below(data.len() + 1);
                data.splice(again..again, piece);
            }
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len());
                let piece = &other[from..(from + 1 + rng.below(32)).min(other.len())];
                data.splice(at..at, piece.iter().copied());
            }
            6 => data.truncate(at),
            _ => {
                // a length or number made extreme
                let extreme = [0u8, 0x7f, 0x80, 0xff][rng.below(4)];
                for b in data.iter_mut().skip(at).take(4) {
                    *b = extreme;
                }
            }
        }
    }
    data
}

/// Runs `decode` on every seed, then on damaged inputs for [`BUDGET`]; a panic names the
/// input.
fn damaged(name: &str, seed: u64, seeds: &[Vec<u8>], decode: fn(&[u8])) {
    let mut rng = Rng(seed);
    let started = Instant::now();
    let mut round = 0;
    let damaged_rounds = |round: usize| round.saturating_sub(seeds.len());
    while damaged_rounds(round) < MAX_ROUNDS
        && (damaged_rounds(round) < MIN_ROUNDS || started.elapsed() < BUDGET)
    {
        let data = match seeds.get(round) {
            Some(good) => good.clone(),
            None => damage(&mut rng, seeds),
        };
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| decode(&data))) {
            eprintln!(
                "{name}: round {round} (seed {seed:#x}) broke the decoder with input {:?}",
                String::from_utf8_lossy(&data)
            );
            eprintln!("bytes: {data:?}");
            std::panic::resume_unwind(panic);
        }
        round += 1;
    }
    println!(
        "{name}: {} damaged inputs in {:?}",
        damaged_rounds(round),
        started.elapsed()
    );
}

fn frame(stream: u8, data: &[u8]) -> Vec<u8> {
    let mut out = vec![stream, 0, 0, 0];
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(data);
    out
}

/// Stream seeds: the first byte is the size of each read the decoder sees (0: all).
fn stream_seeds() -> Vec<Vec<u8>> {
    let mut frames = frame(1, b"hello\n");
    frames.extend(frame(2, b"oops\n"));
    frames.extend(frame(1, b""));
    frames.extend(frame(0, b"echo"));
    let mut error = frame(1, b"partial");
    error.extend(frame(3, b"log driver failed\n"));
    let mut huge = vec![1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
    huge.extend_from_slice(b"short");
    let mut seeds = Vec::new();
    for read_size in [0u8, 1, 3, 8, 9] {
        for body in [&frames, &error, &huge, &frame(2, &[b'x'; 300])] {
            let mut seed = vec![read_size];
            seed.extend_from_slice(body);
            seeds.push(seed);
        }
    }
    seeds.push(b"\x05\x1b[31mred\x1b[0m and a \xe2\x82 cut".to_vec());
    seeds
}

#[test]
fn multiplexed_frames() {
    damaged(
        "multiplexed",
        0x5eed_0001,
        &stream_seeds(),
        __fuzz::multiplexed,
    );
}

#[test]
fn raw_tty() {
    damaged("raw TTY", 0x5eed_0002, &stream_seeds(), __fuzz::raw_tty);
}

#[test]
fn json_lines() {
    let lines: &[&str] = &[
        r#"{"status":"Pulling fs layer","progressDetail":{},"id":"a1"}"#,
        r#"{"status":"Downloading","progressDetail":{"current":1024,"total":4096},"progress":"[=>  ]","id":"a1"}"#,
        r#"{"stream":"Step 1/2 : FROM busybox\n"}"#,
        r#"{"aux":{"ID":"sha256:0123456789abcdef"}}"#,
        r#"{"errorDetail":{"message":"manifest unknown"},"error":"manifest unknown"}"#,
        r#"{"Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":{"name":"web"}},"time":1700000000,"timeNano":1700000000000000000}"#,
        r#"{"read":"2024-01-01T00:00:00Z","cpu_stats":{"cpu_usage":{"total_usage":5}},"memory_stats":{"usage":7},"networks":{"eth0":{"rx_bytes":1}}}"#,
        "3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741",
        "",
    ];
    let mut seeds = Vec::new();
    for read_size in [0u8, 1, 7] {
        let mut seed = vec![read_size];
        seed.extend_from_slice(lines.join("\n").as_bytes());
        seeds.push(seed);
        let mut crlf = vec![read_size];
        crlf.extend_from_slice(lines[..3].join("\r\n").as_bytes());
        seeds.push(crlf);
    }
    damaged("JSON lines", 0x5eed_0003, &seeds, __fuzz::json_lines);
}

#[test]
fn hijack_response_heads() {
    let mut upgraded = b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n".to_vec();
    upgraded.extend(frame(1, b"hello\n"));
    let seeds = vec![
        upgraded,
        b"HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\nraw bytes".to_vec(),
        b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n".to_vec(),
        b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 29\r\n\r\n{\"message\":\"No such exec: x\"}".to_vec(),
        b"HTTP/1.0 307 Temporary Redirect\r\nLocation: /v1.41/exec/x/start\r\n\r\n".to_vec(),
        b"<html>not http</html>\r\n\r\n".to_vec(),
    ];
    damaged("hijack head", 0x5eed_0004, &seeds, __fuzz::hijack_head);
}

#[test]
fn hosts() {
    let seeds: Vec<Vec<u8>> = [
        "unix:///var/run/docker.sock",
        "unix://",
        "tcp://127.0.0.1:2375",
        "tcp://docker.example.com",
        "http://host:2375/base/path",
        "https://[::1]:2376",
        "ssh://user@host:2222",
        "ssh://[fe80::1]",
        "host:2375",
        "[::1]:2375",
        ":2375",
        "tcp://user:secret@host:2375",
        "npipe:////./pipe/docker_engine",
        "TCP://Host:2375/",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    damaged("hosts", 0x5eed_0005, &seeds, __fuzz::host);
}

#[test]
fn settings_files() {
    let seeds = vec![
        b"# boot2docker\nDOCKER_URL=\"https://192.168.59.103:2376\"\nDOCKER_TLS = True\nexport DOCKER_TLS_ASSERT_HOSTNAME=False   # its name\n".to_vec(),
        b"DOCKER_URL=unix:///var/run/docker.sock\nDOCKER_VERSION=v1.41\nDOCKER_TIMEOUT=2.5\nDOCKER_TLS_VERIFY=no\nDOCKER_TLS_SSL_VERSION=TLSv1_2\n".to_vec(),
        b"DOCKER_URL='tcp://h:2376'\nDOCKER_TLS_CLIENT_CERT=C:\\certs\\cert.pem:C:\\certs\\key.pem\nDOCKER_TLS_CA_CERT=None\nDOCKER_TLS_CERT_PATH=/home/me/.docker\nSECRET_KEY=x\n".to_vec(),
        b"\xef\xbb\xbfDOCKER_URL=:2375\nDOCKER_VERSION=auto\nDOCKER_TIMEOUT=1e400\n".to_vec(),
    ];
    damaged("settings", 0x5eed_0006, &seeds, __fuzz::settings);
}

#[test]
fn docker_configs() {
    let seeds: Vec<Vec<u8>> = [
        r#"{"auths":{"https://index.docker.io/v1/":{"auth":"YWxpY2U6czNjcmV0"},"r.example.com":{"identitytoken":"tok-123456789"}},"credsStore":"pass","credHelpers":{"gcr.io":"gcloud"},"currentContext":"remote"}"#,
        r#"{"ServerURL":"r.example.com","Username":"alice","Secret":"hunter2-secret"}"#,
        r#"{"r.example.com":"alice","127.0.0.1:5000":"bob"}"#,
        r#"{"Status":"Login Succeeded","IdentityToken":"tok-abcdefgh"}"#,
        r#""a-bare-secret-string""#,
        r#"{"auths":{"r":"not-an-object-but-a-secret"}}"#,
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    damaged("docker configs", 0x5eed_0007, &seeds, __fuzz::docker_config);
}
