//! The frame of the HTML gradebook: the `<head>` with its one stylesheet and
//! a Content-Security-Policy that allows exactly that stylesheet (by its
//! SHA-256) and nothing else, so the page loads nothing, runs nothing and
//! works offline; and escaping for text from result files.

use sha2::{Digest as _, Sha256};
use workbook_support::sanitize;

use crate::lang::Lang;

/// The page's only stylesheet. Colours are variables so the dark scheme
/// swaps them in one place; SVG charts are coloured by class, so no `style`
/// attribute is needed anywhere (the policy would refuse one).
pub const CSS: &str = "\
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;\
--s:#1a7f37;--a:#0969da;--b:#9a6700;--c:#cf222e;--none:#6e7781;--problem:#ffebe9;--note:#fff8c5;\
--high:#2da44e;--mid:#d4a72c;--low:#cf222e}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;\
--soft:#151b23;--problem:#3c1618;--note:#3a2d00;--a:#4493f8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);\
font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",sans-serif;-webkit-text-size-adjust:100%}
main{max-width:64rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.25rem;margin:2rem 0 .75rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h3{font-size:1rem;margin:.8rem 0 .2rem}
nav{display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:.9rem}
a{color:var(--a)}
.muted{color:var(--muted)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:.35rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
.students th,.students td{white-space:nowrap}
.students th:first-child,.students td:first-child{position:sticky;left:0;background:var(--bg)}
.students td:first-child{max-width:45vw;overflow:hidden;text-overflow:ellipsis}
.num{text-align:right}
.letter{display:inline-block;min-width:1.7em;padding:0 .3em;border-radius:.35em;text-align:center;\
font-weight:700;color:#fff;background:var(--none)}
.l-S{background:var(--s)}.l-A{background:var(--a)}.l-B{background:var(--b)}.l-C{background:var(--c)}
.notices{list-style:none;padding:0}
.notices li{padding:.5rem .75rem;margin:.4rem 0;border-radius:.4rem;overflow-wrap:anywhere}
.notices .problem{background:var(--problem)}.notices .note{background:var(--note)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(7.5rem,1fr));gap:.5rem;margin:.5rem 0}
.card{background:var(--soft);border:1px solid var(--line);border-radius:.5rem;padding:.4rem .75rem}
.card b{display:block;font-size:1.4rem}
svg{display:block}
.chart{width:100%;max-width:36rem;height:auto}
.chart text{fill:var(--fg);font-size:10px}
.chart .axis{stroke:var(--muted);stroke-width:1}
.chart .bar{fill:var(--a)}
.spread{width:100%;height:1.2rem;margin:.5rem 0}
.seg-S{fill:var(--s)}.seg-A{fill:var(--a)}.seg-B{fill:var(--b)}.seg-C{fill:var(--c)}.seg-none{fill:var(--none)}
.rate{width:100%;min-width:4rem;height:.8rem}
.rate .track{fill:var(--line)}.rate .high{fill:var(--high)}.rate .mid{fill:var(--mid)}.rate .low{fill:var(--low)}
.rates td:last-child{width:35%}
details{border:1px solid var(--line);border-radius:.5rem;margin:.5rem 0;padding:.4rem .75rem}
details[open]{background:var(--soft)}
summary{cursor:pointer;font-weight:600;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:var(--bg);border:1px solid var(--line);\
border-radius:.3rem;padding:.4rem .6rem;font-size:.85rem;margin:.3rem 0}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;overflow-wrap:break-word}
li{margin:.3rem 0;overflow-wrap:anywhere}
footer{margin:2rem 0 1rem;color:var(--muted);font-size:.85rem}
@media (max-width:30rem){main{padding:.6rem}th,td{padding:.3rem .35rem}h1{font-size:1.35rem}}
";

/// Everything before `<main>`: doctype, language, viewport, the policy, the
/// title and the stylesheet.
pub fn head(title: &str, lang: Lang) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"color-scheme\" content=\"light dark\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        policy(),
        escape(title)
    )
}

/// The end of the page.
pub const TAIL: &str = "</main>\n</body>\n</html>\n";

/// Nothing may be loaded, no script run, no form sent; the one stylesheet
/// is allowed by its hash.
pub fn policy() -> String {
    let digest = Sha256::digest(CSS.as_bytes());
    format!(
        "default-src 'none'; style-src 'sha256-{}'; base-uri 'none'; form-action 'none'",
        base64(&digest)
    )
}

/// Standard base64 with padding (RFC 4648), for the policy's hash.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Text for HTML content or a quoted attribute: `& < > " '` escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Untrusted text for one line: control and bidi characters made visible
/// ([`sanitize::inline`]), then escaped.
pub fn inline(text: &str) -> String {
    escape(&sanitize::inline(text))
}

/// Untrusted text that may span lines (for `<pre>`), cut to `max_chars`.
pub fn block(text: &str, max_chars: usize) -> String {
    escape(&sanitize::capped(text, max_chars))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn markup_and_controls_are_inert() {
        assert_eq!(
            inline("<script>alert('x')</script>&\"\u{1b}[2J\u{202e}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;\\u{1b}[2J\\u{202e}"
        );
        assert_eq!(block("a\nb", 100), "a\nb");
    }
}
