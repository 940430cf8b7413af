//! `.dockerignore`, read and matched exactly as the docker CLI does for the classic builder
//! (moby's `ignorefile.ReadAll` and `patternmatcher`), without a regex engine.
//!
//! Reading: a UTF-8 BOM is dropped; a line starting with `#` is a comment; lines are
//! trimmed; `!` marks an exception; each pattern is cleaned as Go's `filepath.Clean` does
//! (so `./a`, `a/`, `a//b/../b` are `a`, `a`, `a/b`) and one leading `/` is dropped.
//!
//! Matching, pattern by pattern in order, the last match winning: `*` is any run of
//! characters but `/`, `?` one character but `/`, `[...]` a class, `\` escapes, `**`
//! (and `**/`) any number of folders, even none. A pattern that matches a folder matches
//! everything in it.

use std::fmt;

/// One pattern, ready to match.
#[derive(Clone, Debug)]
struct Pattern {
    /// The cleaned pattern, without its `!`.
    cleaned: String,
    exclusion: bool,
    /// How many `/`-separated parts it has (the legacy matcher's parent check uses it).
    parts: usize,
    kind: Kind,
}

/// How a pattern matches: moby picks a plain string test when the pattern allows one, and a
/// regular expression otherwise. The string tests differ from the expression in corner
/// cases, so they are kept.
#[derive(Clone, Debug)]
enum Kind {
    Exact,
    /// `foo**`: anything starting with `foo`.
    Prefix(String),
    /// `**/foo`: anything ending with `/foo`, or `foo` itself.
    Suffix(String),
    Tokens(Vec<Token>),
}

/// The pieces of moby's regular expression.
#[derive(Clone, Debug)]
enum Token {
    Literal(char),
    /// `*`: `[^/]*`.
    Star,
    /// `?`: `[^/]`.
    Question,
    /// `**` before more pattern: `(.*/)?`.
    Folders,
    /// `**` at the end: `.*`.
    Anything,
    /// A `^` outside a class: moby passes it into the expression, where it anchors.
    Start,
    /// `[...]`.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

/// A `.dockerignore` pattern that cannot be used, with the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BadPattern {
    pub(crate) pattern: String,
    pub(crate) reason: &'static str,
}

impl fmt::Display for BadPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bad pattern {:?}: {}", self.pattern, self.reason)
    }
}

/// The patterns of one `.dockerignore`, compiled.
#[derive(Clone, Debug, Default)]
pub(crate) struct Patterns {
    patterns: Vec<Pattern>,
    exclusions: bool,
}

/// Which patterns matched a folder, handed to its entries (moby's `MatchInfo`).
#[derive(Clone, Debug, Default)]
pub(crate) struct MatchInfo {
    parent_matched: Vec<bool>,
}

/// The lines of a `.dockerignore`, as moby's `ignorefile.ReadAll` returns them.
pub(crate) fn read_patterns(text: &[u8]) -> Vec<String> {
    let text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    let text = String::from_utf8_lossy(text);
    let mut out = Vec::new();
    for line in text.split('\n') {
        // Go's line scanner drops one `\r` before the newline.
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.starts_with('#') {
            continue;
        }
        let mut pattern = line.trim();
        if pattern.is_empty() {
            continue;
        }
        let invert = pattern.starts_with('!');
        if invert {
            pattern = pattern[1..].trim();
        }
        let mut cleaned = String::new();
        if !pattern.is_empty() {
            cleaned = clean(pattern);
            if cleaned.len() > 1 && cleaned.starts_with('/') {
                cleaned.remove(0);
            }
        }
        out.push(if invert {
            format!("!{cleaned}")
        } else {
            cleaned
        });
    }
    out
}

/// Go's `filepath.Clean` for `/`-separated paths: no empty, `.` or inner `..` parts, no
/// trailing `/`; `.` for nothing.
pub(crate) fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    // Leading `..` parts of a relative path cannot be undone.
    let mut fixed = 0;
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.len() > fixed {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                    fixed = parts.len();
                }
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    if rooted {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".into()
    } else {
        joined
    }
}

/// Go's `filepath.Dir`: everything before the last `/`, cleaned; `.` when there is none.
fn dir(path: &str) -> String {
    match path.rfind('/') {
        Some(i) => clean(&path[..i.max(usize::from(path.starts_with('/')))]),
        None => ".".into(),
    }
}

impl Patterns {
    /// Compiles patterns as moby's `patternmatcher.New` does: blank ones skipped, each
    /// cleaned, `!` alone refused, syntax checked.
    pub(crate) fn new<S: AsRef<str>>(lines: &[S]) -> Result<Patterns, BadPattern> {
        let mut out = Patterns::default();
        for line in lines {
            let line = line.as_ref().trim();
            if line.is_empty() {
                continue;
            }
            let mut p = clean(line);
            let exclusion = p.starts_with('!');
            if exclusion {
                if p.len() == 1 {
                    return Err(BadPattern {
                        pattern: line.into(),
                        reason: "`!` alone excepts nothing",
                    });
                }
                p.remove(0);
                out.exclusions = true;
            }
            let kind = compile(&p).map_err(|reason| BadPattern {
                pattern: line.into(),
                reason,
            })?;
            out.patterns.push(Pattern {
                parts: p.split('/').count(),
                cleaned: p,
                exclusion,
                kind,
            });
        }
        Ok(out)
    }

    /// Whether any pattern is an exception (`!`).
    pub(crate) fn has_exclusions(&self) -> bool {
        self.exclusions
    }

    /// moby's `MatchesUsingParentResults`: whether `file` (relative, `/`-separated) is
    /// excluded, given what matched its folder (`None` at the top, where its parent folders
    /// are checked by name instead).
    pub(crate) fn matches(&self, file: &str, parent: Option<&MatchInfo>) -> (bool, MatchInfo) {
        let parent = parent.filter(|p| p.parent_matched.len() == self.patterns.len());
        let mut matched = false;
        let mut info = MatchInfo {
            parent_matched: vec![false; self.patterns.len()],
        };
        for (i, pattern) in self.patterns.iter().enumerate() {
            let mut hit = parent.is_some_and(|p| p.parent_matched[i]);
            if !hit {
                // An inclusion cannot change a match, nor an exception a non-match.
                if pattern.exclusion != matched {
                    continue;
                }
                hit = pattern.matches(file);
                if !hit && parent.is_none() {
                    hit = parent_dirs(file).any(|d| pattern.matches(d));
                }
            }
            info.parent_matched[i] = hit;
            if hit {
                matched = !pattern.exclusion;
            }
        }
        (matched, info)
    }

    /// moby's deprecated `Matches`, which the docker CLI still uses to decide whether the
    /// Dockerfile and `.dockerignore` need an exception: it checks only the parent folder
    /// with as many parts as the pattern.
    pub(crate) fn matches_legacy(&self, file: &str) -> bool {
        let file = clean(file);
        if file == "." {
            return false;
        }
        let parent = dir(&file);
        let parent_parts: Vec<&str> = parent.split('/').collect();
        let mut matched = false;
        for pattern in &self.patterns {
            if pattern.exclusion != matched {
                continue;
            }
            let mut hit = pattern.matches(&file);
            if !hit && parent != "." && pattern.parts <= parent_parts.len() {
                hit = pattern.matches(&parent_parts[..pattern.parts].join("/"));
            }
            if hit {
                matched = !pattern.exclusion;
            }
        }
        matched
    }

    /// Whether an excluded folder must still be walked because an exception may re-include
    /// something in it: some exception pattern starts with `folder/`.
    pub(crate) fn may_reinclude_in(&self, folder: &str) -> bool {
        let prefix = format!("{folder}/");
        self.patterns
            .iter()
            .filter(|p| p.exclusion)
            .any(|p| format!("{}/", p.cleaned).starts_with(&prefix))
    }
}

/// `a`, `a/b` for `a/b/c`: the folders above a path, top first.
fn parent_dirs(file: &str) -> impl Iterator<Item = &str> {
    file.match_indices('/').map(move |(i, _)| &file[..i])
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        match &self.kind {
            Kind::Exact => path == self.cleaned,
            Kind::Prefix(prefix) => path.starts_with(prefix.as_str()),
            Kind::Suffix(suffix) => {
                path.ends_with(suffix.as_str())
                    || suffix.strip_prefix('/').is_some_and(|s| path == s)
            }
            Kind::Tokens(tokens) => match_tokens(tokens, &path.chars().collect::<Vec<_>>()),
        }
    }
}

/// The characters moby escapes when it builds its expression: literal both ways.
fn escaped_by_moby(c: char) -> bool {
    ".+()|{}$".contains(c)
}

/// moby's `Pattern.compile`, as tokens instead of a regular expression; and the syntax
/// check of Go's `filepath.Match` that `patternmatcher.New` runs first.
fn compile(pattern: &str) -> Result<Kind, &'static str> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut tokens = Vec::new();
    #[derive(PartialEq)]
    enum Detected {
        Exact,
        Prefix,
        Suffix,
        Regexp,
    }
    let mut detected = Detected::Exact;
    let mut i = 0;
    let mut first = true;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                // `**/` is the same as `**`.
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i == chars.len() {
                    if detected == Detected::Exact {
                        detected = Detected::Prefix;
                    } else {
                        tokens.push(Token::Anything);
                        detected = Detected::Regexp;
                    }
                } else {
                    tokens.push(Token::Folders);
                    detected = Detected::Regexp;
                }
                if first {
                    detected = Detected::Suffix;
                }
            }
            '*' => {
                tokens.push(Token::Star);
                detected = Detected::Regexp;
            }
            '?' => {
                tokens.push(Token::Question);
                detected = Detected::Regexp;
            }
            c if escaped_by_moby(c) => tokens.push(Token::Literal(c)),
            '\\' => match chars.get(i) {
                Some(&next) => {
                    i += 1;
                    tokens.push(Token::Literal(next));
                    detected = Detected::Regexp;
                }
                None => return Err("a `\\` at the end escapes nothing"),
            },
            '[' => {
                let (token, used) = class(&chars[i..])?;
                i += used;
                tokens.push(token);
                detected = Detected::Regexp;
            }
            ']' => {
                tokens.push(Token::Literal(']'));
                detected = Detected::Regexp;
            }
            '^' => tokens.push(Token::Start),
            c => tokens.push(Token::Literal(c)),
        }
        first = false;
    }
    Ok(match detected {
        Detected::Exact => Kind::Exact,
        Detected::Prefix => Kind::Prefix(pattern[..pattern.len() - 2].to_string()),
        Detected::Suffix => Kind::Suffix(pattern[2..].to_string()),
        Detected::Regexp => Kind::Tokens(tokens),
    })
}

/// A class after its `[`, as Go's `filepath.Match` reads it: an optional `^`, then at least
/// one character or `lo-hi` range (`\` escapes), then `]`. Returns the token and how many
/// characters it used.
fn class(chars: &[char]) -> Result<(Token, usize), &'static str> {
    const UNCLOSED: &str = "a `[` without its `]`";
    let mut i = 0;
    let negated = chars.first() == Some(&'^');
    if negated {
        i += 1;
    }
    let mut ranges = Vec::new();
    loop {
        match chars.get(i) {
            None => return Err(UNCLOSED),
            Some(']') if !ranges.is_empty() => {
                i += 1;
                break;
            }
            _ => {}
        }
        let (lo, used) = class_char(&chars[i..])?;
        i += used;
        let mut hi = lo;
        if chars.get(i) == Some(&'-') {
            let (h, used) = class_char(&chars[i + 1..])?;
            hi = h;
            i += 1 + used;
        }
        ranges.push((lo, hi));
    }
    Ok((Token::Class { negated, ranges }, i))
}

fn class_char(chars: &[char]) -> Result<(char, usize), &'static str> {
    match chars {
        [] => Err("a `[` without its `]`"),
        ['-' | ']', ..] => Err("a class with an empty range or an unescaped `-` or `]`"),
        ['\\'] => Err("a `\\` at the end escapes nothing"),
        ['\\', c, ..] => Ok((*c, 2)),
        [c, ..] => Ok((*c, 1)),
    }
}

/// Whether the tokens match the whole text, as moby's `^...$` expression would. Go's `.`
/// does not match a newline; `[^/]` and negated classes do.
fn match_tokens(tokens: &[Token], text: &[char]) -> bool {
    // reach[j]: the tokens so far can match text[..j].
    let mut reach = vec![false; text.len() + 1];
    reach[0] = true;
    for token in tokens {
        let mut next = vec![false; text.len() + 1];
        for j in (0..=text.len()).filter(|&j| reach[j]) {
            match token {
                Token::Literal(c) => {
                    if text.get(j) == Some(c) {
                        next[j + 1] = true;
                    }
                }
                Token::Question => {
                    if text.get(j).is_some_and(|&c| c != '/') {
                        next[j + 1] = true;
                    }
                }
                Token::Class { negated, ranges } => {
                    if let Some(&c) = text.get(j) {
                        let inside = ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi);
                        if inside != *negated {
                            next[j + 1] = true;
                        }
                    }
                }
                Token::Star => {
                    next[j] = true;
                    for k in j..text.len() {
                        if text[k] == '/' {
                            break;
                        }
                        next[k + 1] = true;
                    }
                }
                Token::Anything => {
                    next[j] = true;
                    for k in j..text.len() {
                        if text[k] == '\n' {
                            break;
                        }
                        next[k + 1] = true;
                    }
                }
                Token::Folders => {
                    next[j] = true;
                    for k in j..text.len() {
                        if text[k] == '\n' {
                            break;
                        }
                        if text[k] == '/' {
                            next[k + 1] = true;
                        }
                    }
                }
                Token::Start => {
                    if j == 0 {
                        next[0] = true;
                    }
                }
            }
        }
        reach = next;
    }
    reach[text.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_follows_ignorefile_read_all() {
        let text = "\u{feff}# comment\n  spaced  \r\n\n!  keep.txt\n/abs/path\n./rel//x/../y/\n \
                    # not a comment (leading space)\n!\n/\n**/*.go\n";
        assert_eq!(
            read_patterns(text.as_bytes()),
            [
                "spaced",
                "!keep.txt",
                "abs/path",
                "rel/y",
                "# not a comment (leading space)",
                "!",
                "/",
                "**/*.go"
            ]
        );
    }

    #[test]
    fn clean_is_go_filepath_clean() {
        for (path, want) in [
            ("", "."),
            (".", "."),
            ("./", "."),
            ("a/", "a"),
            ("a//b", "a/b"),
            ("a/./b", "a/b"),
            ("a/../b", "b"),
            ("../a", "../a"),
            ("../../a/..", "../.."),
            ("/../a", "/a"),
            ("/", "/"),
            ("a/b/../../..", ".."),
        ] {
            assert_eq!(clean(path), want, "{path:?}");
        }
        assert_eq!(dir("a/b/c"), "a/b");
        assert_eq!(dir("a"), ".");
        assert_eq!(dir("/a"), "/");
    }

    /// (patterns, path, excluded?): cases from moby's patternmatcher tests and from what
    /// `docker build` sends.
    const TABLE: &[(&[&str], &str, bool)] = &[
        // plain names, and everything inside a matched folder
        (&["fileutils.go"], "fileutils.go", true),
        (&["docs"], "docs/readme.md", true),
        (&["docs"], "docsx", false),
        (&["a/b"], "a/b/c/d", true),
        (&["a/b"], "x/a/b", false),
        // `*` and `?` stop at `/`
        (&["*.go"], "main.go", true),
        (&["*.go"], "cmd/main.go", false),
        (&["*/*.go"], "cmd/main.go", true),
        (&["*"], "anything/deep/down", true),
        (&["?.md"], "a.md", true),
        (&["?.md"], "ab.md", false),
        (&["?"], "/", false),
        (&["a?b"], "a/b", false),
        // `**`: any number of folders, even none
        (&["**/*.go"], "main.go", true),
        (&["**/*.go"], "a/b/c/main.go", true),
        (&["**"], "x/y", true),
        (&["**/foo"], "foo", true),
        (&["**/foo"], "a/b/foo", true),
        (&["**/foo"], "a/bfoo", false),
        (&["**foo"], "a/bfoo", true),
        (&["foo/**"], "foo/x", true),
        (&["foo/**"], "foo", false),
        (&["foo**"], "foobar/x", true),
        (&["a/**/b"], "a/b", true),
        (&["a/**/b"], "a/x/y/b", true),
        (&["a/**/b"], "a/xb", false),
        (&["a**b"], "ab", true),
        (&["a**b"], "axb", false),
        (&["a/**/*.txt"], "a/x/y.txt", true),
        (&["**/a/**"], "x/a/y", true),
        // classes and escapes
        (&["[a-c].txt"], "b.txt", true),
        (&["[a-c].txt"], "d.txt", false),
        (&["[^a-c].txt"], "d.txt", true),
        (&["[^a].txt"], "a.txt", false),
        (&["[\\]]"], "]", true),
        (&["\\*"], "*", true),
        (&["\\*"], "x", false),
        (&["a\\?b"], "a?b", true),
        (&["a\\?b"], "axb", false),
        // characters that are special in expressions but not in patterns
        (&["a.b"], "a.b", true),
        (&["a.b"], "axb", false),
        (&["*.b"], "axb", false),
        (&["(x)+{y}|$"], "(x)+{y}|$", true),
        (&["*(x)"], "a(x)", true),
        // exceptions: later lines win
        (&["*.md", "!README.md"], "README.md", false),
        (&["*.md", "!README.md"], "CHANGES.md", true),
        (&["*.md", "!README.md", "README.md"], "README.md", true),
        (&["docs", "!docs/keep"], "docs/keep", false),
        (&["docs", "!docs/keep"], "docs/drop", true),
        (&["docs", "!docs/keep"], "docs/keep/inner", false),
        (&["!keep", "*"], "keep", true),
        // cleaned patterns: `./`, trailing `/`, inner `..`
        (&["./a"], "a", true),
        (&["a/"], "a/x", true),
        (&["x/../a"], "a", true),
        // a `^` inside an expression anchors (moby passes it through)
        (&["a^b*"], "a^bc", false),
        (&["a^b"], "a^b", true),
    ];

    #[test]
    fn matching_follows_moby_patternmatcher() {
        for (patterns, path, want) in TABLE {
            let p = Patterns::new(patterns).unwrap();
            // As the walk asks: the folders first, each entry with its folder's matches.
            let mut info: Option<MatchInfo> = None;
            let mut got = false;
            let parts: Vec<&str> = path.split('/').collect();
            for n in 1..=parts.len() {
                let (m, i) = p.matches(&parts[..n].join("/"), info.as_ref());
                got = m;
                info = Some(i);
            }
            assert_eq!(got, *want, "{patterns:?} on {path:?} (walked)");
            // And asked in one go, with no folder information.
            assert_eq!(p.matches(path, None).0, *want, "{patterns:?} on {path:?}");
        }
    }

    #[test]
    fn bad_patterns_are_refused_with_the_reason() {
        for bad in ["!", "[", "[a", "[]", "[]a]", "a\\", "[a-]", "[-a]", "[^]"] {
            let err = Patterns::new(&[bad]).unwrap_err();
            assert_eq!(err.pattern, bad);
            assert!(!err.to_string().is_empty());
        }
    }

    #[test]
    fn the_legacy_matcher_checks_one_parent_level() {
        let p = Patterns::new(&["a"]).unwrap();
        assert!(p.matches_legacy("a/Dockerfile"));
        // `a/b` is checked against `a` only when the pattern has one part
        let p = Patterns::new(&["x/b"]).unwrap();
        assert!(p.matches_legacy("x/b/Dockerfile"));
        assert!(!p.matches_legacy("Dockerfile"));
        let p = Patterns::new(&["*", "!Dockerfile"]).unwrap();
        assert!(!p.matches_legacy("Dockerfile"));
        assert!(p.matches_legacy(".dockerignore"));
    }

    #[test]
    fn excluded_folders_are_walked_only_for_an_exception_inside() {
        let p = Patterns::new(&["docs", "!docs/keep.md", "build"]).unwrap();
        assert!(p.may_reinclude_in("docs"));
        assert!(!p.may_reinclude_in("build"));
        assert!(!p.may_reinclude_in("doc"));
    }
}
