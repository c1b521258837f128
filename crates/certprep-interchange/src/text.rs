//! Text helpers shared by the formats: decoding bytes of unknown encoding, line endings,
//! positions, ids, and a small HTML → Markdown conversion for formats that carry HTML.

use certprep_bank::syntax::Pos;

use crate::ImportError;

/// The encoding a file was read in, when it was not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// Borrowed from the bytes when they are UTF-8 with LF line ends (the usual case).
    pub text: std::borrow::Cow<'a, str>,
    /// `None` for UTF-8 (with or without BOM); the encoding's name otherwise.
    pub encoding: Option<&'static str>,
}

/// Decodes a file: UTF-8 (a BOM is dropped), UTF-16 with a BOM, or a legacy single-byte or
/// CJK encoding guessed by `chardetng`. Line endings become `\n`. A file that is binary (NUL
/// bytes without a UTF-16 BOM) is rejected.
pub fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<Decoded<'a>, ImportError> {
    let (text, encoding) = if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(ImportError::Encoding {
                file: file.to_string(),
                message: format!(
                    "the file starts with a {} byte-order mark but is not valid {}",
                    enc.name(),
                    enc.name()
                ),
            });
        }
        let name = (enc != encoding_rs::UTF_8).then_some(enc.name());
        (text, name)
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        (std::borrow::Cow::Borrowed(text), None)
    } else {
        if bytes.contains(&0) {
            return Err(ImportError::Encoding {
                file: file.to_string(),
                message: "this is a binary file, not text (a zip package or a database?)".into(),
            });
        }
        let mut detector = chardetng::EncodingDetector::new();
        detector.feed(bytes, true);
        let enc = detector.guess(None, true);
        let (text, _, had_errors) = enc.decode(bytes);
        if had_errors {
            return Err(ImportError::Encoding {
                file: file.to_string(),
                message: format!(
                    "the file is not UTF-8 and does not decode as {} either: convert it to UTF-8",
                    enc.name()
                ),
            });
        }
        (text, Some(enc.name()))
    };
    if text.contains('\0') {
        return Err(ImportError::Encoding {
            file: file.to_string(),
            message: "this is a binary file, not text".into(),
        });
    }
    let text = match text {
        std::borrow::Cow::Borrowed(t) if !t.contains('\r') && !t.starts_with('\u{feff}') => {
            std::borrow::Cow::Borrowed(t)
        }
        other => std::borrow::Cow::Owned(normalise_newlines(&other)),
    };
    Ok(Decoded { text, encoding })
}

/// Whether `input` reads the same piece by piece as [`decode`] reads it whole: UTF-8 (with or
/// without a byte-order mark), LF line ends only, no NUL byte. Anything else is read whole by
/// [`decode`], which detects the encoding, turns CR and CRLF into LF, or explains the refusal.
/// Reads `input` to its end in 64 KiB chunks.
pub fn plain_utf8_lf(input: impl std::io::Read) -> std::io::Result<bool> {
    let part = plain_part(input, Start::File)?;
    Ok(part.plain && part.cut_at_end.is_empty())
}

/// [`plain_utf8_lf`] of a file opened twice (`open` gives it from its start each time), its two
/// halves checked on two threads: a large import waits for half the time before it starts.
pub fn plain_utf8_lf_in_halves<R>(
    open: impl Fn() -> std::io::Result<R> + Sync,
) -> std::io::Result<bool>
where
    R: std::io::Read + std::io::Seek + Send,
{
    plain_in_halves(open, HALVES_FROM_BYTES)
}

/// [`plain_utf8_lf_in_halves`] for a file of at least `from_bytes` (smaller: one thread).
fn plain_in_halves<R>(
    open: impl Fn() -> std::io::Result<R> + Sync,
    from_bytes: u64,
) -> std::io::Result<bool>
where
    R: std::io::Read + std::io::Seek + Send,
{
    use std::io::SeekFrom;
    let mut first = open()?;
    let len = first.seek(SeekFrom::End(0))?;
    first.rewind()?;
    if len < from_bytes.max(2) {
        return plain_utf8_lf(first);
    }
    let middle = len / 2;
    let (head, tail) = std::thread::scope(|scope| {
        let tail = scope.spawn(|| {
            let mut second = open()?;
            second.seek(SeekFrom::Start(middle))?;
            plain_part(second, Start::Middle)
        });
        let head = plain_part(first.take(middle), Start::File);
        let tail = tail
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the check of the second half failed")));
        (head, tail)
    });
    let (head, tail) = (head?, tail?);
    // The character cut by the middle must be whole and valid once its parts are joined.
    let joined = [head.cut_at_end, tail.cut_at_start].concat();
    Ok(head.plain
        && tail.plain
        && tail.cut_at_end.is_empty()
        && std::str::from_utf8(&joined).is_ok())
}

/// Below this size a file is checked on one thread.
const HALVES_FROM_BYTES: u64 = 1 << 20;

/// Where a part of a file starts.
#[derive(Clone, Copy, PartialEq)]
enum Start {
    /// At the start of the file (a byte-order mark may come first).
    File,
    /// Anywhere: it may start inside a character.
    Middle,
}

/// What [`plain_part`] found: whether the part is plain, and the bytes of a character cut at
/// its start (a part that starts in the middle) and at its end.
struct PlainPart {
    plain: bool,
    cut_at_start: Vec<u8>,
    cut_at_end: Vec<u8>,
}

fn plain_part(mut input: impl std::io::Read, start: Start) -> std::io::Result<PlainPart> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut part = PlainPart {
        plain: true,
        cut_at_start: Vec::new(),
        cut_at_end: Vec::new(),
    };
    let not_plain = |mut part: PlainPart| {
        part.plain = false;
        Ok(part)
    };
    // Bytes of a character cut by the end of the last chunk, moved to the front.
    let mut carried = 0;
    let mut first = true;
    loop {
        let n = match input.read(&mut buf[carried..]) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if n == 0 {
            part.cut_at_end = buf[..carried].to_vec();
            return Ok(part);
        }
        let filled = carried + n;
        let mut from = 0;
        if std::mem::take(&mut first) {
            match start {
                Start::File
                    if encoding_rs::Encoding::for_bom(&buf[..filled])
                        .is_some_and(|(e, _)| e != encoding_rs::UTF_8) =>
                {
                    return not_plain(part);
                }
                Start::File => {}
                // Up to three continuation bytes end a character that starts before the part.
                Start::Middle => {
                    from = buf[..filled.min(3)]
                        .iter()
                        .take_while(|b| (0x80..0xC0).contains(*b))
                        .count();
                    part.cut_at_start = buf[..from].to_vec();
                }
            }
        }
        let chunk = &buf[from..filled];
        if memchr::memchr2(0, b'\r', chunk).is_some() {
            return not_plain(part);
        }
        carried = match std::str::from_utf8(chunk) {
            Ok(_) => 0,
            Err(e) if e.error_len().is_none() => {
                let valid = from + e.valid_up_to();
                buf.copy_within(valid..filled, 0);
                filled - valid
            }
            Err(_) => return not_plain(part),
        };
    }
}

/// CRLF and lone CR become LF; a leading BOM is dropped.
pub fn normalise_newlines(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// 1-based line and column of a byte offset.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    certprep_bank::diag::pos_of_offset(text, offset)
}

/// Line starts of a text, for many offset → position look-ups without rescanning.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Lines before `text` in its file (a piece of a larger file starts at a line start).
    lines_before: u32,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex::after_lines(text, 0)
    }

    /// The index of a piece of a file that starts after `lines_before` whole lines.
    pub fn after_lines(text: &'a str, lines_before: u32) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            text,
            starts,
            lines_before,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn pos(&self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= offset);
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        Pos::new(
            u32::try_from(line)
                .unwrap_or(u32::MAX)
                .saturating_add(self.lines_before),
            u32::try_from(col).unwrap_or(u32::MAX),
        )
    }
}

/// A lower-case slug of letters, digits and hyphens (`"Q 1: Intro"` → `q-1-intro`), at most
/// 60 characters; empty when nothing usable is left.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        _ => c,
    }
}

/// Whether `s` is a valid certprep id.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Collapses runs of whitespace (newlines included) to one space and trims.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Decodes the HTML character references Moodle and Anki write.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| entity(&after[..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "eacute" => 'é',
        "egrave" => 'è',
        "agrave" => 'à',
        "ccedil" => 'ç',
        "uuml" => 'ü',
        "ouml" => 'ö',
        "auml" => 'ä',
        "szlig" => 'ß',
        "times" => '×',
        "copy" => '©',
        "reg" => '®',
        "deg" => '°',
        _ => return None,
    })
}

/// A light HTML → Markdown conversion for question text: paragraphs and line breaks become
/// blank lines and newlines, `<b>`/`<strong>` `**`, `<i>`/`<em>` `*`, `<code>` backticks,
/// `<pre>` a fenced block, list items `- `, `<img>` `![alt](src)`, links `[text](href)`;
/// other tags (spans, styles, comments) are dropped and entities decoded.
pub fn html_to_markdown(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut link: Vec<Option<String>> = Vec::new();
    let mut in_pre = false;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, rest, in_pre);
            break;
        };
        push_text(&mut out, &rest[..lt], in_pre);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            push_text(&mut out, rest, in_pre);
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "table" | "ul" | "ol", _) => {
                paragraph_break(&mut out)
            }
            ("br", _) => {
                while out.ends_with(' ') {
                    out.pop();
                }
                out.push('\n');
            }
            ("tr", true) => out.push('\n'),
            ("td" | "th", true) => out.push(' '),
            ("li", false) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str("- ");
            }
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("code", _) if !in_pre => out.push('`'),
            ("pre", false) => {
                paragraph_break(&mut out);
                out.push_str("```\n");
                in_pre = true;
            }
            ("pre", true) => {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                out.push_str("```\n\n");
                in_pre = false;
            }
            ("img", false) => {
                let src = attribute(tag, "src").unwrap_or_default();
                let alt = attribute(tag, "alt").unwrap_or_default();
                out.push_str(&format!("![{alt}]({src})"));
            }
            ("a", false) => {
                let href = attribute(tag, "href");
                if href.is_some() {
                    out.push('[');
                }
                link.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = link.pop() {
                    out.push_str(&format!("]({href})"));
                }
            }
            _ => {}
        }
    }
    if in_pre {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("```\n");
    }
    tidy(&out)
}

fn paragraph_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        if out.ends_with('\n') {
            out.push('\n');
        } else {
            out.push_str("\n\n");
        }
    }
}

fn push_text(out: &mut String, text: &str, in_pre: bool) {
    let decoded = decode_entities(text).replace('\u{a0}', " ");
    if in_pre {
        out.push_str(&decoded);
        return;
    }
    for (i, word) in decoded.split([' ', '\t', '\n']).enumerate() {
        if i > 0 && !out.is_empty() && !out.ends_with([' ', '\n']) {
            out.push(' ');
        }
        out.push_str(word);
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let start = from + i;
        from = start + name.len();
        let before_ok = start == 0 || lower.as_bytes()[start - 1].is_ascii_whitespace();
        let rest = tag[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or(""),
        };
        return Some(decode_entities(value));
    }
    None
}

/// Trims each line's end, collapses three or more newlines to two, trims the whole.
pub fn tidy(s: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in s.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out.trim().to_string()
}

/// Whether a text looks like HTML (a tag or an entity), for formats that do not say.
pub fn looks_like_html(s: &str) -> bool {
    // Every marker starts with `<` or `&`: most plain texts have neither.
    if !s.bytes().any(|b| b == b'<' || b == b'&') {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    [
        "<p", "<br", "<div", "<span", "<b>", "<i>", "<strong", "<em>", "<img", "<a ", "<ul", "<ol",
        "<li", "<pre", "<code", "<sub", "<sup", "<table", "&nbsp;", "&amp;", "&lt;", "&gt;",
        "&quot;",
    ]
    .iter()
    .any(|t| lower.contains(t))
}

/// A Markdown text as HTML for formats that want HTML (Moodle XML export keeps Markdown and
/// says so; this is only for Anki, which shows HTML): paragraphs and line breaks.
pub fn markdown_to_html(md: &str) -> String {
    let escaped = md
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    escaped
        .split("\n\n")
        .map(|p| p.replace('\n', "<br>"))
        .collect::<Vec<_>>()
        .join("<br><br>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Bytes that are mostly UTF-8 with characters of every length, sometimes with a CR, a
    /// NUL, a byte-order mark or a byte that is not UTF-8.
    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            20 => "[a-z\n é日😀]{1,8}".prop_map(String::into_bytes),
            1 => prop::sample::select(vec![
                b"\r".to_vec(), b"\0".to_vec(), b"\xEF\xBB\xBF".to_vec(), b"\xFF\xFE".to_vec(),
                b"\xE6".to_vec(), b"\x97".to_vec(), b"\xC3".to_vec(),
            ]),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
    }

    proptest! {
        /// Checked in two halves (whatever character the middle cuts), a text is plain exactly
        /// when it is checked whole.
        #[test]
        fn halves_check_as_the_whole_does(bytes in bytes()) {
            let open = || Ok(std::io::Cursor::new(bytes.as_slice()));
            let whole = plain_utf8_lf(bytes.as_slice()).ok();
            prop_assert_eq!(plain_in_halves(open, 0).ok(), whole);
        }
    }

    #[test]
    fn html_becomes_markdown() {
        assert_eq!(
            html_to_markdown("<p>Hello <b>big</b>&nbsp;world</p><p>Second<br>line</p>"),
            "Hello **big** world\n\nSecond\nline"
        );
        assert_eq!(
            html_to_markdown("<p><!-- x --><img src=\"@@PLUGINFILE@@/a.png\" alt=\"A\"></p>"),
            "![A](@@PLUGINFILE@@/a.png)"
        );
        assert_eq!(
            html_to_markdown("<pre>if (a &lt; b) {\n  x();\n}</pre>"),
            "```\nif (a < b) {\n  x();\n}\n```"
        );
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Grant's Tomb"), "grant-s-tomb");
        assert_eq!(slug("06- création d'instance"), "06-creation-d-instance");
        assert_eq!(slug("***"), "");
    }

    #[test]
    fn decodes_windows_1252() {
        let d = decode("f", b"caf\xe9 na\xefve r\xe9sum\xe9 \x93quoted\x94").expect("decodes");
        assert_eq!(d.text, "café naïve résumé “quoted”");
        assert!(d.encoding.is_some());
    }
}
