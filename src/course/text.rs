//! Texts that exist in every course language.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// A text in Russian and English. Both are required: a missing or empty
/// translation is a content error, so no student ever sees a blank.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "RawText")]
pub struct Text {
    ru: String,
    en: String,
}

impl Text {
    /// Builds a text from both translations.
    pub fn new(en: impl Into<String>, ru: impl Into<String>) -> Self {
        Text {
            ru: ru.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.ru)
    }
}

/// What a text looks like in YAML before both translations are known to be there.
#[derive(Deserialize)]
struct RawText {
    #[serde(default)]
    ru: Option<String>,
    #[serde(default)]
    en: Option<String>,
}

impl TryFrom<RawText> for Text {
    type Error = String;

    fn try_from(raw: RawText) -> Result<Self, String> {
        let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
        match (blank(&raw.ru), blank(&raw.en)) {
            (false, false) => Ok(Text {
                ru: raw.ru.unwrap_or_default(),
                en: raw.en.unwrap_or_default(),
            }),
            (true, true) => Err("missing translations: `ru` and `en` are both required".to_owned()),
            (true, false) => Err("missing the Russian translation (`ru`)".to_owned()),
            (false, true) => Err("missing the English translation (`en`)".to_owned()),
        }
    }
}
