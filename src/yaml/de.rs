//! A serde deserializer over [`Node`] trees that keeps going after problems.
//!
//! Unknown keys are recorded (with the nearest valid key) and skipped; a list
//! element that fails is recorded and left out, so the rest of the list is still
//! checked. Every value's position is remembered by its YAML path, for the
//! semantic checks that run after decoding.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};

use super::node::{Kind, Mark, Node};
use crate::suggest;

/// Where each YAML path of a document starts.
pub type Marks = HashMap<String, Mark>;

/// One problem found while decoding, before the file name is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where the offending value starts.
    pub mark: Mark,
    /// The YAML path of the offending value (`sections.task[0].title.en`).
    pub path: String,
    /// What is wrong, as a lowercase sentence fragment.
    pub message: String,
}

/// The result of decoding a document: the value if nothing was wrong, every
/// problem found, and the position of every path that was visited.
#[derive(Debug)]
pub struct Decoded<T> {
    /// The decoded value; `None` when any problem was found.
    pub value: Option<T>,
    /// Every problem, in file order.
    pub problems: Vec<Problem>,
    /// The position of each visited YAML path.
    pub marks: HashMap<String, Mark>,
}

thread_local! {
    /// Set while [`decode`] runs: errors are recorded where they happen, so [`list`]
    /// may drop a failed element and go on. With any other deserializer `list`
    /// returns the first error as usual.
    static COLLECTING: Cell<bool> = const { Cell::new(false) };
}

/// Decodes a node tree into `T`, collecting every problem.
pub fn decode<T: DeserializeOwned>(root: &Node) -> Decoded<T> {
    let ctx = Ctx::default();
    let was_collecting = COLLECTING.with(|c| c.replace(true));
    let result = T::deserialize(NodeDe {
        node: root,
        path: String::new(),
        ctx: &ctx,
    });
    COLLECTING.with(|c| c.set(was_collecting));
    let mut problems = ctx.problems.into_inner();
    let value = match result {
        Ok(value) => Some(value),
        Err(error) => {
            if let Some(problem) = error.into_problem(root.mark, "") {
                problems.push(problem);
            }
            None
        }
    };
    problems.sort_by_key(|p| (p.mark.line, p.mark.col));
    problems.dedup();
    Decoded {
        value: if problems.is_empty() { value } else { None },
        problems,
        marks: ctx.marks.into_inner(),
    }
}

#[derive(Default)]
struct Ctx {
    problems: RefCell<Vec<Problem>>,
    marks: RefCell<HashMap<String, Mark>>,
}

impl Ctx {
    fn record(&self, error: Error, mark: Mark, path: &str) {
        if let Some(problem) = error.into_problem(mark, path) {
            self.problems.borrow_mut().push(problem);
        }
    }
}

/// A decoding error on its way up; it learns its position from the innermost
/// node that sees it, and becomes `Recorded` once it has been written down so
/// that the levels above don't report it twice.
#[derive(Debug)]
pub enum Error {
    /// Not yet placed or recorded.
    Pending {
        /// Where, once known.
        at: Option<(Mark, String)>,
        /// What is wrong.
        message: String,
    },
    /// Already in the problem list.
    Recorded,
}

impl Error {
    fn at(self, mark: Mark, path: &str) -> Self {
        match self {
            Error::Pending { at: None, message } => Error::Pending {
                at: Some((mark, path.to_owned())),
                message,
            },
            other => other,
        }
    }

    fn into_problem(self, mark: Mark, path: &str) -> Option<Problem> {
        match self {
            Error::Pending { at, message } => {
                let (mark, path) = at.unwrap_or_else(|| (mark, path.to_owned()));
                Some(Problem {
                    mark,
                    path,
                    message,
                })
            }
            Error::Recorded => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Pending { message, .. } => f.write_str(message),
            Error::Recorded => f.write_str("(already reported)"),
        }
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::Pending {
            at: None,
            message: msg.to_string(),
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Self::custom(format_args!("missing key `{field}`"))
    }

    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Self::custom(format_args!("expected {exp}, found {unexp}"))
    }
}

struct NodeDe<'a> {
    node: &'a Node,
    path: String,
    ctx: &'a Ctx,
}

fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

impl<'a> NodeDe<'a> {
    fn child(&self, node: &'a Node, path: String) -> NodeDe<'a> {
        NodeDe {
            node,
            path,
            ctx: self.ctx,
        }
    }

    fn fail(&self, message: impl Into<String>) -> Error {
        Error::Pending {
            at: Some((self.node.mark, self.path.clone())),
            message: message.into(),
        }
    }

    fn expected(&self, what: &str) -> Error {
        self.fail(format!("expected {what}, found {}", self.node.describe()))
    }

    fn scalar(&self, what: &str) -> Result<&'a str, Error> {
        match &self.node.kind {
            Kind::Scalar { value, .. } if !self.node.is_null() => Ok(value),
            _ => Err(self.expected(what)),
        }
    }

    fn remember(&self) {
        self.ctx
            .marks
            .borrow_mut()
            .entry(self.path.clone())
            .or_insert(self.node.mark);
    }

    fn parse_number<T: std::str::FromStr>(&self, what: &str) -> Result<T, Error> {
        let text = self.scalar(what)?;
        text.replace('_', "")
            .parse()
            .map_err(|_| self.expected(what))
    }
}

macro_rules! number {
    ($method:ident, $visit:ident, $ty:ty, $what:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.remember();
            let value: $ty = self.parse_number($what)?;
            visitor
                .$visit::<Error>(value)
                .map_err(|e| e.at(self.node.mark, &self.path))
        }
    };
}

impl<'de> de::Deserializer<'de> for NodeDe<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.remember();
        let (mark, path) = (self.node.mark, self.path.clone());
        let result: Result<V::Value, Error> = match &self.node.kind {
            _ if self.node.is_null() => visitor.visit_unit(),
            Kind::Scalar { value, plain: true } => match value.as_str() {
                "true" => visitor.visit_bool(true),
                "false" => visitor.visit_bool(false),
                v => {
                    if let Ok(n) = v.parse::<i64>() {
                        visitor.visit_i64(n)
                    } else if let Ok(n) = v.parse::<f64>() {
                        visitor.visit_f64(n)
                    } else {
                        visitor.visit_str(v)
                    }
                }
            },
            Kind::Scalar { value, .. } => visitor.visit_str(value),
            Kind::Seq(_) => return self.deserialize_seq(visitor),
            Kind::Map(_) => return self.deserialize_map(visitor),
        };
        result.map_err(|e| e.at(mark, &path))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.remember();
        match self.scalar("`true` or `false`")? {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(self.expected("`true` or `false`")),
        }
    }

    number!(deserialize_i8, visit_i64, i64, "a whole number");
    number!(deserialize_i16, visit_i64, i64, "a whole number");
    number!(deserialize_i32, visit_i64, i64, "a whole number");
    number!(deserialize_i64, visit_i64, i64, "a whole number");
    number!(deserialize_u8, visit_u64, u64, "a whole number, 0 or more");
    number!(deserialize_u16, visit_u64, u64, "a whole number, 0 or more");
    number!(deserialize_u32, visit_u64, u64, "a whole number, 0 or more");
    number!(deserialize_u64, visit_u64, u64, "a whole number, 0 or more");
    number!(deserialize_f32, visit_f64, f64, "a number");
    number!(deserialize_f64, visit_f64, f64, "a number");

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.remember();
        let text = self.scalar("text")?;
        visitor
            .visit_str::<Error>(text)
            .map_err(|e| e.at(self.node.mark, &self.path))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.remember();
        if self.node.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.node.is_null() {
            visitor.visit_unit()
        } else {
            Err(self.expected("nothing"))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.remember();
        let Kind::Seq(items) = &self.node.kind else {
            return Err(self.expected("a list"));
        };
        let (mark, path) = (self.node.mark, self.path.clone());
        visitor
            .visit_seq(SeqAccess {
                items: items.iter().enumerate(),
                parent: self,
            })
            .map_err(|e| e.at(mark, &path))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.visit_mapping(visitor, None)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.visit_mapping(visitor, Some(fields))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.remember();
        // Only unit variants written as plain words are used in course files.
        let word = self.scalar(&format!("one of {}", list_choices(variants)))?;
        if !variants.contains(&word) {
            let near = suggest::suffix(word, variants.iter().copied());
            return Err(self.fail(format!(
                "unknown value `{word}`, expected {}{near}",
                list_choices(variants)
            )));
        }
        let (mark, path) = (self.node.mark, self.path.clone());
        visitor
            .visit_enum(word.into_deserializer())
            .map_err(|e: Error| e.at(mark, &path))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// "`a`, `b` or `c`".
fn list_choices(choices: &[&str]) -> String {
    let quoted: Vec<String> = choices.iter().map(|c| format!("`{c}`")).collect();
    match quoted.as_slice() {
        [] => "nothing".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

impl NodeDe<'_> {
    fn visit_mapping<'de, V: Visitor<'de>>(
        self,
        visitor: V,
        fields: Option<&'static [&'static str]>,
    ) -> Result<V::Value, Error> {
        self.remember();
        let Kind::Map(entries) = &self.node.kind else {
            // Translated texts are the most common mapping; say what they look like.
            let what = if fields.is_some_and(|f| f == ["ru", "en"]) {
                "a text in both languages (`ru:` and `en:` lines)"
            } else {
                "a mapping (`key: value` lines)"
            };
            return Err(self.expected(what));
        };
        // A set, not a list: a mapping of thousands of keys (an answers file
        // with many questions) stays linear.
        let mut seen: HashSet<&str> = HashSet::new();
        let mut kept = Vec::new();
        for (key, value) in entries {
            let Some(name) = key.as_scalar() else {
                self.ctx
                    .record(self.fail("keys must be plain words"), key.mark, &self.path);
                continue;
            };
            let path = child_path(&self.path, name);
            if !seen.insert(name) {
                self.ctx.problems.borrow_mut().push(Problem {
                    mark: key.mark,
                    path,
                    message: format!("key `{name}` appears twice"),
                });
                continue;
            }
            if let Some(fields) = fields
                && !fields.contains(&name)
            {
                let near = suggest::suffix(name, fields.iter().copied());
                let message = if self.node.flow && name.contains(char::is_whitespace) {
                    // `{en: One, two, ru: …}`: the comma ended the text early.
                    format!(
                        "unknown key `{name}`: inside `{{…}}` a comma starts a new key; put the text in quotes"
                    )
                } else if near.is_empty() {
                    format!("unknown key `{name}`, expected {}", list_choices(fields))
                } else {
                    format!("unknown key `{name}`{near}")
                };
                self.ctx.problems.borrow_mut().push(Problem {
                    mark: key.mark,
                    path,
                    message,
                });
                continue;
            }
            kept.push((key, value, path));
        }
        let (mark, path) = (self.node.mark, self.path.clone());
        visitor
            .visit_map(MapAccess {
                entries: kept.into_iter(),
                value: None,
                parent: self,
            })
            .map_err(|e| e.at(mark, &path))
    }
}

struct SeqAccess<'a, I> {
    items: I,
    parent: NodeDe<'a>,
}

impl<'de, 'a, I: Iterator<Item = (usize, &'a Node)>> de::SeqAccess<'de> for SeqAccess<'a, I> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some((index, node)) = self.items.next() else {
            return Ok(None);
        };
        let path = format!("{}[{index}]", self.parent.path);
        match seed.deserialize(self.parent.child(node, path.clone())) {
            Ok(value) => Ok(Some(value)),
            Err(error) => {
                // Written down now; the iterator has moved on, so a visitor that asks
                // again (see [`list`]) checks the remaining elements too.
                self.parent.ctx.record(error, node.mark, &path);
                Err(Error::Recorded)
            }
        }
    }

    fn size_hint(&self) -> Option<usize> {
        None
    }
}

/// Deserializes a list, going on past elements that fail so that every element
/// is checked; use with `#[serde(deserialize_with = "crate::yaml::de::list")]`.
/// Under [`decode`] the failed elements are left out (their problems are already
/// recorded, and the document as a whole fails), so the fields after the list are
/// checked too; elsewhere the first error is returned.
pub fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: de::Deserializer<'de>,
    T: de::Deserialize<'de>,
{
    struct ListVisitor<T>(std::marker::PhantomData<T>);

    impl<'de, T: de::Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list")
        }

        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut items = Vec::new();
            let mut first_error = None;
            loop {
                match seq.next_element() {
                    Ok(Some(item)) => items.push(item),
                    Ok(None) => break,
                    Err(error) => {
                        first_error.get_or_insert(error);
                    }
                }
            }
            match first_error {
                Some(error) if !COLLECTING.with(Cell::get) => Err(error),
                _ => Ok(items),
            }
        }
    }

    deserializer.deserialize_seq(ListVisitor(std::marker::PhantomData))
}

/// Deserializes a mapping, going on past entries whose values fail, like
/// [`list`]; use with `#[serde(deserialize_with = "crate::yaml::de::map")]`.
pub fn map<'de, D, K, V>(deserializer: D) -> Result<std::collections::BTreeMap<K, V>, D::Error>
where
    D: de::Deserializer<'de>,
    K: de::Deserialize<'de> + Ord,
    V: de::Deserialize<'de>,
{
    struct MapVisitor<K, V>(std::marker::PhantomData<(K, V)>);

    impl<'de, K: de::Deserialize<'de> + Ord, V: de::Deserialize<'de>> Visitor<'de>
        for MapVisitor<K, V>
    {
        type Value = std::collections::BTreeMap<K, V>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping")
        }

        fn visit_map<A: de::MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
            let mut entries = std::collections::BTreeMap::new();
            let mut first_error = None;
            loop {
                let key = match access.next_key::<K>() {
                    Ok(Some(key)) => key,
                    Ok(None) => break,
                    Err(error) => return Err(error),
                };
                match access.next_value::<V>() {
                    Ok(value) => {
                        entries.insert(key, value);
                    }
                    Err(error) => {
                        first_error.get_or_insert(error);
                    }
                }
            }
            match first_error {
                Some(error) if !COLLECTING.with(Cell::get) => Err(error),
                _ => Ok(entries),
            }
        }
    }

    deserializer.deserialize_map(MapVisitor(std::marker::PhantomData))
}

struct MapAccess<'a, I> {
    entries: I,
    value: Option<(&'a Node, String)>,
    parent: NodeDe<'a>,
}

impl<'de, 'a, I: Iterator<Item = (&'a Node, &'a Node, String)>> de::MapAccess<'de>
    for MapAccess<'a, I>
{
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value, path)) = self.entries.next() else {
            return Ok(None);
        };
        let name = key.as_scalar().unwrap_or_default();
        self.value = Some((value, path.clone()));
        let key_de: de::value::StrDeserializer<'_, Error> = name.into_deserializer();
        seed.deserialize(key_de)
            .map(Some)
            .map_err(|e| e.at(key.mark, &path))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (node, path) = self.value.take().expect("value asked for before its key");
        let child = self.parent.child(node, path.clone());
        seed.deserialize(child).map_err(|error| {
            // Recorded here, where its place is known, so that a list further up
            // can go on past it.
            self.parent.ctx.record(error, node.mark, &path);
            Error::Recorded
        })
    }
}
