//! Base64 (RFC 4648), the little the Engine API needs: registry auth headers (URL-safe,
//! padded), archive path stats and config files (standard), secret and config data.
//! Small enough that a dependency would cost more than it saves.

/// The standard alphabet: how Go's `encoding/json` writes bytes.
pub(crate) const STANDARD: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The URL-safe alphabet: the engine decodes `X-Registry-Auth` with Go's `URLEncoding`.
pub(crate) const URL_SAFE: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes with padding, in `alphabet`.
pub(crate) fn encode(data: &[u8], alphabet: &[u8; 64]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(alphabet[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes either alphabet, padded or not (what writes it varies; being lenient costs
/// nothing); `None` when it is not base64.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // One character alone at the end carries only 6 bits: not a byte.
    (bits < 6).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc_4648_in_both_alphabets() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain.as_bytes(), STANDARD), encoded);
            assert_eq!(decode(encoded).unwrap(), plain.as_bytes());
            assert_eq!(
                decode(encoded.trim_end_matches('=')).unwrap(),
                plain.as_bytes()
            );
        }
        // the URL-safe alphabet differs in two places
        assert_eq!(encode(&[0xfb, 0xff], URL_SAFE), "-_8=");
        assert_eq!(encode(&[0xfb, 0xff], STANDARD), "+/8=");
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
        assert_eq!(decode("+/+/").unwrap(), decode("-_-_").unwrap());
        assert_eq!(decode("+/+/").unwrap(), [0xfb, 0xff, 0xbf]);
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(decode(&encode(&all, STANDARD)).unwrap(), all);
        assert_eq!(decode(&encode(&all, URL_SAFE)).unwrap(), all);
    }

    #[test]
    fn what_is_not_base64_is_refused() {
        assert!(decode("Z").is_none(), "6 bits are not a byte");
        assert!(decode("ab$d").is_none());
        assert!(decode("Zg==Zg==").is_none(), "padding inside");
    }
}
