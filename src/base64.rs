//! Base64 (RFC 4648), the little the Engine API needs: registry auth headers (URL-safe,
//! padded), archive path stats and config files (standard), secret and config data.
//!
//! The `base64` crate does the work: ureq already depends on it (a well-kept, widely used
//! crate), so it costs nothing to build. This module only picks its engines and keeps our
//! lenient decoding.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

/// The standard alphabet, padded: how Go's `encoding/json` writes bytes.
pub(crate) const STANDARD: &GeneralPurpose = &base64::engine::general_purpose::STANDARD;

/// The URL-safe alphabet, padded: the engine decodes `X-Registry-Auth` with Go's
/// `URLEncoding`.
pub(crate) const URL_SAFE: &GeneralPurpose = &base64::engine::general_purpose::URL_SAFE;

/// Decodes the standard alphabet without padding, ignoring unused trailing bits.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// Encodes with padding, in `alphabet`.
pub(crate) fn encode(data: &[u8], alphabet: &GeneralPurpose) -> String {
    alphabet.encode(data)
}

/// Decodes either alphabet, padded or not (what writes it varies; being lenient costs
/// nothing); `None` when it is not base64.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.contains(['-', '_']) {
        let standard: String = text
            .chars()
            .map(|c| match c {
                '-' => '+',
                '_' => '/',
                c => c,
            })
            .collect();
        return LENIENT.decode(standard).ok();
    }
    LENIENT.decode(text).ok()
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
