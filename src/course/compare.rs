//! How a typed answer is compared with the accepted ones, the way a teacher
//! would: each mode turns a text into a normal form, and two answers match
//! exactly when their forms are equal.
//!
//! "Normalise, then compare for equality" is the only shape a comparison may
//! take, because the student edition stores each accepted answer as a digest of
//! its normal form (see [`super::seal`]): the functions here are the one place
//! both the marking and the sealing take those forms from.
//!
//! | mode | what does not matter |
//! |---|---|
//! | [`exact`] | spaces at the ends |
//! | [`folded`] | case and runs of spaces |
//! | [`code`] | spacing that does not separate two words; constant integer arithmetic in parentheses (`from_secs(30 * 60)` is `from_secs(1800)`); `1_800` and `1800u64` are `1800` |
//! | [`sql`] | case of keywords and unquoted names, spacing around punctuation, a final `;`, `!=` for `<>` |
//! | [`number`] | words after the number (`51 запрос`, `51 queries`), arithmetic (`1 + 50`), `2,5` for `2.5` |
//!
//! [`difference`] says where a wrong answer departs from the nearest accepted
//! one, so feedback can say something the student does not know yet.

/// Character for character, after trimming the ends.
pub fn exact(text: &str) -> String {
    text.trim().to_owned()
}

/// Lowercase, with runs of spaces folded into one.
pub fn folded(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Code: spacing only where it separates two words (`let mut tx`), and
/// constant integer arithmetic inside parentheses worked out.
pub fn code(text: &str) -> String {
    fold_constants(&squeeze(text))
}

/// Removes every space that does not stand between two word characters, so
/// `pool.begin( ).await?` reads `pool.begin().await?` but `let x` stays `let x`.
fn squeeze(text: &str) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && out.chars().last().is_some_and(is_word) && is_word(c) {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// Private-use stand-ins for parentheses already worked on, so the loop in
/// [`fold_constants`] always finds the next innermost pair.
const DONE_OPEN: char = '\u{e000}';
const DONE_CLOSE: char = '\u{e001}';

/// Works out constant integer expressions that are a whole argument or a whole
/// parenthesised group: `from_secs(30*60)` → `from_secs(1800)`, `f((1+2)*3, x)`
/// → `f(9,x)`. Only places where nothing outside can bind tighter are folded,
/// so `x*2+3` is never mistaken for `x*5`; the answer as a whole is folded only
/// when it is a single literal, since the blank's surroundings are unknown.
fn fold_constants(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    while let Some(close) = chars.iter().position(|&c| c == ')') {
        let Some(open) = chars[..close].iter().rposition(|&c| c == '(') else {
            chars[close] = DONE_CLOSE;
            continue;
        };
        let inside: String = chars[open + 1..close].iter().collect();
        let parts = split_top_level(&inside);
        let values: Vec<Option<i128>> = parts.iter().map(|p| evaluate(p)).collect();
        let before = open.checked_sub(1).map(|i| chars[i]);
        let after = chars.get(close + 1).copied();
        let is_call =
            before.is_some_and(|c| is_word(c) || matches!(c, ']' | '>' | '!' | '?' | DONE_CLOSE));
        let keeps_parens =
            after.is_some_and(|c| is_word(c) || matches!(c, '.' | '(' | '[' | '?' | DONE_OPEN));
        let replacement: Vec<char> = match values.as_slice() {
            [Some(value)] if !is_call && !keeps_parens => value.to_string().chars().collect(),
            _ => {
                let folded: Vec<String> = parts
                    .iter()
                    .zip(&values)
                    .map(|(part, value)| {
                        value.map_or_else(|| (*part).to_owned(), |v| v.to_string())
                    })
                    .collect();
                std::iter::once(DONE_OPEN)
                    .chain(folded.join(",").chars())
                    .chain(std::iter::once(DONE_CLOSE))
                    .collect()
            }
        };
        chars.splice(open..=close, replacement);
    }
    let text: String = chars
        .into_iter()
        .map(|c| match c {
            DONE_OPEN => '(',
            DONE_CLOSE => ')',
            other => other,
        })
        .collect();
    // A lone literal is safe to rewrite wherever the blank sits.
    literal(&text).map_or(text, |value| value.to_string())
}

/// Splits at the commas that are not inside parentheses.
fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0);
    for (index, c) in text.char_indices() {
        match c {
            '(' | '[' | '{' | DONE_OPEN => depth += 1,
            ')' | ']' | '}' | DONE_CLOSE => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// A Rust integer literal with optional `_` separators and type suffix.
fn literal(text: &str) -> Option<i128> {
    let digits_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '_'))
        .unwrap_or(text.len());
    let (digits, suffix) = text.split_at(digits_end);
    let suffixes = [
        "", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    ];
    if !digits.starts_with(|c: char| c.is_ascii_digit()) || !suffixes.contains(&suffix) {
        return None;
    }
    digits.replace('_', "").parse().ok()
}

/// The value of an expression made only of integer literals, `+ - * / %`
/// and parentheses, with Rust's precedence and integer division; `None` for
/// anything else, or on overflow or division by zero.
fn evaluate(text: &str) -> Option<i128> {
    let tokens = tokenize_arithmetic(text)?;
    let mut parser = Arithmetic { tokens, at: 0 };
    let value = parser.sum()?;
    (parser.at == parser.tokens.len()).then_some(value)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Number(i128),
    Op(char),
    Open,
    Close,
}

fn tokenize_arithmetic(text: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut rest = text.trim();
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = rest.trim_start();
        } else if c.is_ascii_digit() {
            let end = rest.find(|c: char| !is_word(c)).unwrap_or(rest.len());
            tokens.push(Token::Number(literal(&rest[..end])?));
            rest = &rest[end..];
        } else {
            tokens.push(match c {
                '+' | '-' | '*' | '/' | '%' => Token::Op(c),
                '(' => Token::Open,
                ')' => Token::Close,
                _ => return None,
            });
            rest = &rest[c.len_utf8()..];
        }
    }
    (!tokens.is_empty()).then_some(tokens)
}

struct Arithmetic {
    tokens: Vec<Token>,
    at: usize,
}

impl Arithmetic {
    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.at).copied()
    }

    fn sum(&mut self) -> Option<i128> {
        let mut value = self.product()?;
        while let Some(Token::Op(op @ ('+' | '-'))) = self.peek() {
            self.at += 1;
            let right = self.product()?;
            value = if op == '+' {
                value.checked_add(right)?
            } else {
                value.checked_sub(right)?
            };
        }
        Some(value)
    }

    fn product(&mut self) -> Option<i128> {
        let mut value = self.unary()?;
        while let Some(Token::Op(op @ ('*' | '/' | '%'))) = self.peek() {
            self.at += 1;
            let right = self.unary()?;
            value = match op {
                '*' => value.checked_mul(right)?,
                '/' => value.checked_div(right)?,
                _ => value.checked_rem(right)?,
            };
        }
        Some(value)
    }

    fn unary(&mut self) -> Option<i128> {
        match self.peek()? {
            Token::Op('-') => {
                self.at += 1;
                self.unary()?.checked_neg()
            }
            Token::Number(value) => {
                self.at += 1;
                Some(value)
            }
            Token::Open => {
                self.at += 1;
                let value = self.sum()?;
                if self.peek()? != Token::Close {
                    return None;
                }
                self.at += 1;
                Some(value)
            }
            Token::Op(_) | Token::Close => None,
        }
    }
}

/// SQL: keywords and unquoted names in lowercase (SQL does not tell them apart
/// by case), spacing only between two words, `!=` as `<>`, comments and a
/// final `;` dropped. Quoted strings and `"quoted names"` keep every character.
pub fn sql(text: &str) -> String {
    let tokens = sql_tokens(text);
    let mut out = String::new();
    let mut last_wordish = false;
    let end = tokens
        .iter()
        .rposition(|t| t.text != ";")
        .map_or(0, |last| last + 1);
    for token in &tokens[..end] {
        if last_wordish && token.wordish {
            out.push(' ');
        }
        out.push_str(&token.text);
        last_wordish = token.wordish;
    }
    out
}

struct SqlToken {
    text: String,
    /// A word, number, parameter or quoted item: two of them in a row need a space.
    wordish: bool,
}

fn sql_tokens(text: &str) -> Vec<SqlToken> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let word = |c: char| is_word(c) || c == '$';
    while i < chars.len() {
        let c = chars[i];
        let rest = &chars[i..];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if rest.starts_with(&['-', '-']) {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if rest.starts_with(&['/', '*']) {
            i += 2;
            while i < chars.len() && !chars[i..].starts_with(&['*', '/']) {
                i += 1;
            }
            i = (i + 2).min(chars.len());
            continue;
        }
        if c == '\'' || c == '"' {
            // Quoted: kept as written; a doubled quote is an escaped one.
            i += 1;
            while i < chars.len() {
                if chars[i] == c {
                    if chars.get(i + 1) == Some(&c) {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            tokens.push(SqlToken {
                text: chars[start..i].iter().collect(),
                wordish: true,
            });
            continue;
        }
        if word(c) || ((c == '?' || c == ':') && chars.get(i + 1).is_some_and(|n| is_word(*n))) {
            i += 1;
            while i < chars.len() && word(chars[i]) {
                i += 1;
            }
            tokens.push(SqlToken {
                text: chars[start..i].iter().collect::<String>().to_lowercase(),
                wordish: true,
            });
            continue;
        }
        let two: String = rest.iter().take(2).collect();
        let text = match two.as_str() {
            "!=" | "<>" => {
                i += 2;
                "<>".to_owned()
            }
            "<=" | ">=" | "||" | "::" | "->" => {
                i += 2;
                two
            }
            _ => {
                i += 1;
                c.to_string()
            }
        };
        tokens.push(SqlToken {
            text,
            wordish: false,
        });
    }
    tokens
}

/// A number: the value written first, in a canonical form (`51`, `2.5`), with
/// any words after it ignored (`51 запрос`, `51 statements`) and integer
/// arithmetic worked out (`1 + 50`). Text that is not a number is compared
/// [`folded`], so it still matches itself.
pub fn number(text: &str) -> String {
    number_value(text).unwrap_or_else(|| folded(text))
}

/// Whether `text` reads as a number in [`number`]'s sense.
pub fn is_number(text: &str) -> bool {
    number_value(text).is_some()
}

fn number_value(text: &str) -> Option<String> {
    let text = text.trim();
    // The number is everything up to the first letter; what follows are its
    // words, which must not hold another number (`51 or 52` is no answer).
    let split = text.find(char::is_alphabetic).unwrap_or(text.len());
    let (figure, words) = text.split_at(split);
    if words.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let figure = figure.trim().trim_end_matches(['.', ':', '—', '-']).trim();
    if let Some(value) = evaluate(figure) {
        return Some(value.to_string());
    }
    decimal(figure)
}

/// `2.5`, `2,5`, `-0.50` → `2.5`, `2.5`, `-0.5`; whole numbers lose their point.
fn decimal(text: &str) -> Option<String> {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest.trim_start()),
        None => ("", text),
    };
    let (whole, fraction) = digits.split_once(['.', ','])?;
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let fraction = fraction.trim_end_matches('0');
    let sign = if whole == "0" && fraction.is_empty() {
        ""
    } else {
        sign
    };
    Some(if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    })
}

/// Where a wrong answer departs from an accepted one, both in normal form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// Only upper and lower case differ, and here they matter.
    Case,
    /// Only spacing differs, and here it matters.
    Spacing,
    /// The answer is right as far as it goes (the text given), but ends too soon.
    TooShort(String),
    /// The answer is right up to the text given, then goes on with more.
    TooLong(String),
    /// The answer is right up to the text given, then goes wrong.
    WrongAfter(String),
    /// The answer goes wrong from its first word.
    WrongStart,
}

/// How `given` differs from the nearest of `accepted`, all three in normal
/// form already; `None` when it does not (a right answer) or there is nothing
/// to compare with. The right part named is always the student's own text, so
/// feedback never gives away more of the answer than was typed.
pub fn difference(given: &str, accepted: &[String]) -> Option<Difference> {
    if accepted.iter().any(|a| a == given) || accepted.is_empty() {
        return None;
    }
    if accepted
        .iter()
        .any(|a| a.to_lowercase() == given.to_lowercase())
    {
        return Some(Difference::Case);
    }
    let unspaced = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    if accepted.iter().any(|a| unspaced(a) == unspaced(given)) {
        return Some(Difference::Spacing);
    }
    let given_chars: Vec<char> = given.chars().collect();
    let (nearest, common) = accepted
        .iter()
        .map(|a| {
            let chars: Vec<char> = a.chars().collect();
            let common = word_boundary_prefix(&given_chars, &chars);
            (chars, common)
        })
        .max_by_key(|(_, common)| *common)?;
    let right: String = given_chars[..common].iter().collect();
    let right = right.trim_end().to_owned();
    Some(if right.is_empty() {
        Difference::WrongStart
    } else if common == given_chars.len() {
        Difference::TooShort(right)
    } else if common == nearest.len() {
        Difference::TooLong(right)
    } else {
        Difference::WrongAfter(right)
    })
}

/// The length of the longest common prefix of `a` and `b` that ends between
/// two words, never inside one: `fetch_one` and `fetch_optional` share nothing.
fn word_boundary_prefix(a: &[char], b: &[char]) -> usize {
    let mut common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let inside_word =
        |s: &[char], at: usize| at > 0 && at < s.len() && is_word(s[at - 1]) && is_word(s[at]);
    while common > 0 && (inside_word(a, common) || inside_word(b, common)) {
        common -= 1;
    }
    common
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_ignores_spacing_between_symbols_only() {
        assert_eq!(code("  pool.begin( ).await? "), "pool.begin().await?");
        assert_eq!(code("pool . begin().await?"), "pool.begin().await?");
        assert_eq!(code("let   mut\ttx"), "let mut tx");
        assert_ne!(code("letmut tx"), code("let mut tx"));
    }

    #[test]
    fn code_works_out_constant_arithmetic_in_parentheses() {
        let want = code("max_lifetime(Duration::from_secs(1800))");
        assert_eq!(code("max_lifetime(Duration::from_secs(30 * 60))"), want);
        assert_eq!(code("max_lifetime(Duration::from_secs(60*30))"), want);
        assert_eq!(
            code("max_lifetime(Duration::from_secs((10 + 20) * 60))"),
            want
        );
        assert_eq!(code("max_lifetime(Duration::from_secs(1_800))"), want);
        assert_eq!(code("max_lifetime(Duration::from_secs(1800u64))"), want);
        assert_eq!(code("max_lifetime(Duration::from_secs(3600 / 2))"), want);
        assert_eq!(code("max_connections(5 + 10)"), "max_connections(15)");
        assert_eq!(code("f(1+1, x, 2*3)"), "f(2,x,6)");
        assert_eq!(code("1_800"), "1800", "a lone literal");
        assert_eq!(code("f(-(2 - 3))"), "f(1)");
        assert_eq!(code("f(7 / 2)"), "f(3)", "integer division, as in Rust");
    }

    #[test]
    fn code_never_folds_what_binds_to_its_surroundings() {
        assert_eq!(code("x * 2 + 3"), "x*2+3");
        assert_eq!(code("f(x * 2 + 3)"), "f(x*2+3)");
        assert_eq!(
            code("30 * 60"),
            "30*60",
            "the blank's surroundings are unknown"
        );
        assert_eq!(
            code("(1 + 1).pow(2)"),
            "(2).pow(2)",
            "a method call keeps its receiver's parentheses"
        );
        assert_eq!(code("f(1.5 * 2)"), "f(1.5*2)", "floats are left alone");
        assert_eq!(code("f(1 / 0)"), "f(1/0)", "division by zero is left alone");
        assert_eq!(
            code("f(170141183460469231731687303715884105727 + 1)"),
            "f(170141183460469231731687303715884105727+1)",
            "overflow is left alone"
        );
        assert_eq!(code("a)b(c"), "a)b(c", "unbalanced parentheses survive");
        assert_eq!(code("vec![1 + 1]"), "vec![1+1]");
    }

    #[test]
    fn sql_ignores_keyword_case_and_spacing_around_punctuation() {
        let key = sql("PRIMARY KEY (found_item_id, tag_id)");
        assert_eq!(key, "primary key(found_item_id,tag_id)");
        assert_eq!(sql("primary key (found_item_id, tag_id)"), key);
        assert_eq!(sql("Primary  Key(found_item_id ,tag_id);"), key);
        assert_eq!(sql("on conflict do nothing"), sql("ON CONFLICT DO NOTHING"));
        assert_eq!(sql("any($1)"), sql("ANY($1)"));
        assert_eq!(sql("ANY ($1)"), sql("ANY($1)"));
        assert_eq!(sql("a != b"), sql("a <> b"));
        assert_eq!(sql("x = 1 -- the first\n"), sql("x=1"));
        assert_eq!(sql("x /* why */ = 1"), sql("x=1"));
        assert_ne!(sql("'Tag'"), sql("'tag'"), "strings keep their case");
        assert_ne!(
            sql("\"Tag\""),
            sql("\"tag\""),
            "quoted names keep their case"
        );
        assert_eq!(sql("'a  b'"), "'a  b'", "and their spacing");
        assert_ne!(
            sql("primarykey(a)"),
            sql("primary key(a)"),
            "words stay apart"
        );
        assert_ne!(sql("ANY($2)"), sql("ANY($1)"));
    }

    #[test]
    fn numbers_come_with_their_words() {
        for form in [
            "51",
            " 51 ",
            "51 запрос",
            "51 запроса",
            "51 queries",
            "51 statements.",
            "1 + 50",
            "051",
        ] {
            assert_eq!(number(form), "51", "{form}");
        }
        assert_ne!(number("52"), "51");
        assert_ne!(number("51 or 52"), "51", "two numbers are no answer");
        assert_ne!(number("5 1"), "51");
        assert_eq!(number("2,5"), number("2.50"));
        assert_eq!(number("2.0"), "2");
        assert_eq!(number("-0.0"), "0");
        assert_eq!(number("fifty-one"), "fifty-one", "words compare as words");
        assert_eq!(number("Fifty  One"), number("fifty one"));
    }

    fn forms(accepted: &[&str]) -> Vec<String> {
        accepted.iter().map(|a| code(a)).collect()
    }

    #[test]
    fn differences_name_the_part_that_is_right() {
        let begin = forms(&["pool.begin().await?"]);
        assert_eq!(difference(&code("pool.begin().await?"), &begin), None);
        assert_eq!(
            difference(&code("pool.begin().await"), &begin),
            Some(Difference::TooShort("pool.begin().await".into()))
        );
        assert_eq!(
            difference(&code("pool.begin().await?;"), &begin),
            Some(Difference::TooLong("pool.begin().await?".into()))
        );
        assert_eq!(
            difference(&code("pool.start().await?"), &begin),
            Some(Difference::WrongAfter("pool.".into()))
        );
        assert_eq!(
            difference(&code("Pool.Begin().await?"), &begin),
            Some(Difference::Case)
        );
        assert_eq!(
            difference(&code("fetch_one(pool)"), &forms(&["fetch_optional(pool)"])),
            Some(Difference::WrongStart),
            "never a part of a word"
        );
        let exact = ["max_connections(15)".to_owned()];
        assert_eq!(
            difference(&exact_form("max_connections( 15 )"), &exact),
            Some(Difference::Spacing)
        );
        assert_eq!(
            difference("x", &[]),
            None,
            "a sealed key has nothing to compare"
        );
    }

    fn exact_form(text: &str) -> String {
        exact(text)
    }

    #[test]
    fn the_nearest_accepted_answer_is_used() {
        let accepted = forms(&["connect(&url)", "connect(url.as_str())"]);
        assert_eq!(
            difference(&code("connect(url.as_string())"), &accepted),
            Some(Difference::WrongAfter("connect(url.".into()))
        );
    }
}
