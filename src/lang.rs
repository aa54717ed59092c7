//! The two languages of the course and how one is chosen.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A language every student-facing text exists in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Russian, the language of the source lessons.
    Ru,
    /// English, the fallback.
    En,
}

impl Lang {
    /// Every language, in the order translations are checked.
    pub const ALL: [Lang; 2] = [Lang::Ru, Lang::En];

    /// The language's code as used in YAML keys.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// Picks between an English and a Russian text. Taking both at every call
    /// site keeps the two translations next to each other in the code.
    pub fn pick<T>(self, en: T, ru: T) -> T {
        match self {
            Lang::En => en,
            Lang::Ru => ru,
        }
    }

    /// Chooses the language: the `--lang` flag, then `WORKBOOK_LANG`, then `LANG`
    /// (`ru_RU.UTF-8` → Russian), then English.
    pub fn detect(flag: Option<Lang>, workbook_lang: Option<&str>, lang: Option<&str>) -> Lang {
        flag.or_else(|| workbook_lang.and_then(Lang::from_locale))
            .or_else(|| lang.and_then(Lang::from_locale))
            .unwrap_or(Lang::En)
    }

    /// Reads a locale name such as `ru`, `ru_RU.UTF-8` or `en-GB`.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let code = locale
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match code.as_str() {
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flag_wins_then_env_then_locale() {
        assert_eq!(
            Lang::detect(Some(Lang::En), Some("ru"), Some("ru_RU.UTF-8")),
            Lang::En
        );
        assert_eq!(
            Lang::detect(None, Some("ru"), Some("en_US.UTF-8")),
            Lang::Ru
        );
        assert_eq!(Lang::detect(None, None, Some("ru_RU.UTF-8")), Lang::Ru);
        assert_eq!(Lang::detect(None, Some("de"), Some("C.UTF-8")), Lang::En);
        assert_eq!(Lang::detect(None, None, None), Lang::En);
    }
}
