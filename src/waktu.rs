//! Waktu: the time standard of an SOP step, in working time.

use rust_i18n::t;
use std::fmt;

/// Waktu: a time standard as an SOP writes it ("30 menit", "2 hari").
///
/// Days are kept apart from minutes because a working day's length belongs
/// to the calendar (450 minutes by default), not to the SOP.
///
/// ```
/// use koperasi_sop::waktu::Waktu;
///
/// let waktu: Waktu = "2 hari".parse().unwrap();
/// assert_eq!(waktu.working_secs(450), 2 * 450 * 60); // two working days, not 48 hours
/// assert_eq!("90min".parse::<Waktu>().unwrap().to_string(), "1 jam 30 menit");
/// assert!("1,5 jam".parse::<Waktu>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Waktu {
    /// Whole working days (`hari`, `hari kerja`, `d`; `minggu` counts 5).
    pub days: u32,
    /// Working minutes (`menit`, `min`; `jam`/`h` count 60).
    pub minutes: u32,
}

impl Waktu {
    /// The standard in working seconds, given the calendar's working-day length.
    pub fn working_secs(&self, day_minutes: u32) -> i64 {
        (i64::from(self.days) * i64::from(day_minutes) + i64::from(self.minutes)) * 60
    }
}

/// Why a waktu text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", t!("waktu.bad", text = .text, reason = .reason))]
pub struct WaktuError {
    pub text: String,
    pub reason: String,
}

/// The units a waktu may be written in; aliases map to one unit so that
/// "1 jam 1 h" counts as the same unit given twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Menit,
    Jam,
    Hari,
    Minggu,
}

impl Unit {
    fn from_word(word: &str) -> Option<Unit> {
        match word {
            "menit" | "min" | "mnt" => Some(Unit::Menit),
            "jam" | "h" => Some(Unit::Jam),
            "hari" | "hk" | "d" => Some(Unit::Hari),
            "minggu" | "w" => Some(Unit::Minggu),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::Menit => "menit",
            Unit::Jam => "jam",
            Unit::Hari => "hari",
            Unit::Minggu => "minggu",
        }
    }
}

const KNOWN_UNITS: &str = "menit (min, mnt), jam (h), hari (hari kerja, hk, d), minggu (w)";

/// Splits the text into `(number, unit)` parts, case-insensitively.
fn parse_parts(text: &str) -> Result<Vec<(u32, Unit)>, String> {
    let lower = text.trim().to_lowercase();
    if lower.is_empty() {
        return Err(t!("waktu.empty").into_owned());
    }
    let chars: Vec<char> = lower.chars().collect();
    let mut i = 0;
    let mut parts = Vec::new();
    let skip_spaces = |i: &mut usize| {
        while *i < chars.len() && chars[*i].is_whitespace() {
            *i += 1;
        }
    };
    while i < chars.len() {
        skip_spaces(&mut i);
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        if start == i {
            return Err(match chars[i] {
                c if c.is_alphabetic() => {
                    let word: String = chars[i..]
                        .iter()
                        .take_while(|c| c.is_alphabetic())
                        .collect();
                    t!("waktu.number_before", word = word)
                }
                '-' => t!("waktu.negative"),
                c => t!("waktu.unexpected", char = format!("{c:?}")),
            }
            .into_owned());
        }
        let digits: String = chars[start..i].iter().collect();
        if i + 1 < chars.len() && matches!(chars[i], ',' | '.') && chars[i + 1].is_ascii_digit() {
            return Err(t!("waktu.fraction").into_owned());
        }
        let number: u32 = digits
            .parse()
            .map_err(|_| t!("waktu.number_too_large", digits = digits).into_owned())?;
        skip_spaces(&mut i);
        let word_start = i;
        while i < chars.len() && chars[i].is_alphabetic() {
            i += 1;
        }
        if word_start == i {
            return Err(match chars.get(i) {
                None => t!("waktu.no_unit", digits = digits, units = KNOWN_UNITS),
                Some(c) => t!(
                    "waktu.unexpected_after",
                    char = format!("{c:?}"),
                    digits = digits
                ),
            }
            .into_owned());
        }
        let word: String = chars[word_start..i].iter().collect();
        let unit = Unit::from_word(&word).ok_or_else(|| {
            t!("waktu.unknown_unit", word = word, units = KNOWN_UNITS).into_owned()
        })?;
        if unit == Unit::Hari {
            // "hari kerja" is one unit written as two words.
            let mut j = i;
            skip_spaces(&mut j);
            let rest: String = chars[j..]
                .iter()
                .take_while(|c| c.is_alphabetic())
                .collect();
            if rest == "kerja" {
                i = j + rest.chars().count();
            }
        }
        if parts.iter().any(|&(_, u)| u == unit) {
            return Err(t!("waktu.unit_twice", unit = unit.name()).into_owned());
        }
        parts.push((number, unit));
        skip_spaces(&mut i);
    }
    Ok(parts)
}

impl std::str::FromStr for Waktu {
    type Err = WaktuError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = |reason: String| WaktuError {
            text: s.to_string(),
            reason,
        };
        let too_large = || error(t!("waktu.total_too_large").into_owned());
        let mut waktu = Waktu::default();
        for (number, unit) in parse_parts(s).map_err(error)? {
            let (field, amount) = match unit {
                Unit::Menit => (&mut waktu.minutes, Some(number)),
                Unit::Jam => (&mut waktu.minutes, number.checked_mul(60)),
                Unit::Hari => (&mut waktu.days, Some(number)),
                Unit::Minggu => (&mut waktu.days, number.checked_mul(5)),
            };
            *field = amount
                .and_then(|a| field.checked_add(a))
                .ok_or_else(too_large)?;
        }
        if waktu == Waktu::default() {
            return Err(error(t!("waktu.zero").into_owned()));
        }
        Ok(waktu)
    }
}

/// The canonical form: days, then hours, then minutes ("2 hari", "1 jam 30 menit").
/// Days are never turned into hours: a day's length is the calendar's.
impl fmt::Display for Waktu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hours = self.minutes / 60;
        let minutes = self.minutes % 60;
        let mut parts = Vec::new();
        if self.days > 0 {
            parts.push(format!("{} hari", self.days));
        }
        if hours > 0 {
            parts.push(format!("{hours} jam"));
        }
        if minutes > 0 || parts.is_empty() {
            parts.push(format!("{minutes} menit"));
        }
        f.write_str(&parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn w(days: u32, minutes: u32) -> Waktu {
        Waktu { days, minutes }
    }

    fn parse(s: &str) -> Result<Waktu, WaktuError> {
        s.parse()
    }

    fn reason(s: &str) -> String {
        match parse(s) {
            Ok(w) => panic!("{s:?} parsed as {w:?}, expected an error"),
            Err(e) => {
                assert_eq!(e.text, s);
                e.reason
            }
        }
    }

    #[test]
    fn parses_every_unit_and_alias() {
        let cases = [
            ("30 menit", w(0, 30)),
            ("5 min", w(0, 5)),
            ("5 mnt", w(0, 5)),
            ("90min", w(0, 90)),
            ("1 jam", w(0, 60)),
            ("1h", w(0, 60)),
            ("2 hari", w(2, 0)),
            ("1 hari kerja", w(1, 0)),
            ("3 hk", w(3, 0)),
            ("2d", w(2, 0)),
            ("1 minggu", w(5, 0)),
            ("2w", w(10, 0)),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn parses_combinations_case_and_spacing() {
        assert_eq!(parse("1 jam 30 menit"), Ok(w(0, 90)));
        assert_eq!(parse("1h30min"), Ok(w(0, 90)));
        assert_eq!(parse("  2 Hari  "), Ok(w(2, 0)));
        assert_eq!(parse("1 HARI KERJA 2 JAM"), Ok(w(1, 120)));
        assert_eq!(parse("1 hari   kerja"), Ok(w(1, 0)));
        assert_eq!(parse("1 minggu 2 hari"), Ok(w(7, 0)));
        assert_eq!(parse("30 menit 1 jam"), Ok(w(0, 90)));
        assert_eq!(parse("0 jam 30 menit"), Ok(w(0, 30)));
        assert_eq!(parse("120 menit"), Ok(w(0, 120)));
    }

    #[test]
    fn display_is_canonical() {
        assert_eq!(w(2, 0).to_string(), "2 hari");
        assert_eq!(w(0, 90).to_string(), "1 jam 30 menit");
        assert_eq!(w(0, 30).to_string(), "30 menit");
        assert_eq!(w(0, 120).to_string(), "2 jam");
        assert_eq!(w(1, 61).to_string(), "1 hari 1 jam 1 menit");
        assert_eq!(w(5, 0).to_string(), "5 hari");
        assert_eq!(w(0, 0).to_string(), "0 menit");
    }

    #[test]
    fn rejects_empty() {
        assert_eq!(reason(""), "it is empty");
        assert_eq!(reason("   "), "it is empty");
    }

    #[test]
    fn rejects_zero() {
        for text in ["0 menit", "0 jam 0 menit", "0d"] {
            assert!(reason(text).contains("must be positive"), "{text}");
        }
    }

    #[test]
    fn rejects_missing_number() {
        assert!(reason("jam").contains("expected a number before \"jam\""));
        assert!(reason("1 jam menit").contains("expected a number before \"menit\""));
        assert!(reason("-1 jam").contains("cannot be negative"));
        assert!(reason("+1 jam").contains("unexpected character '+'"));
    }

    #[test]
    fn rejects_missing_unit() {
        assert!(reason("30").contains("the number 30 has no unit"));
        assert!(reason("1 jam 30").contains("the number 30 has no unit"));
        assert!(reason("30 / hari").contains("unexpected character '/' after 30"));
    }

    #[test]
    fn rejects_unknown_unit_naming_it() {
        let r = reason("5 detik");
        assert!(r.contains("unknown unit \"detik\""), "{r}");
        assert!(r.contains("menit"), "{r}");
        assert!(reason("2 kerja").contains("unknown unit \"kerja\""));
        assert!(reason("2 hari libur").contains("expected a number before \"libur\""));
    }

    #[test]
    fn rejects_fractions_with_advice() {
        for text in ["1,5 jam", "1.5 jam", "0,5 hari"] {
            let r = reason(text);
            assert!(r.contains("fractions are not allowed"), "{r}");
            assert!(r.contains("\"1 jam 30 menit\""), "{r}");
        }
    }

    #[test]
    fn rejects_overflow() {
        assert!(reason("4294967296 menit").contains("too large"));
        assert!(reason("99999999999999999999 hari").contains("too large"));
        assert!(reason("71582789 jam").contains("the total is too large"));
        assert!(reason("858993460 minggu").contains("the total is too large"));
        assert!(reason("4294967295 menit 1 jam").contains("the total is too large"));
        assert_eq!(parse("4294967295 menit"), Ok(w(0, u32::MAX)));
    }

    #[test]
    fn rejects_unit_given_twice() {
        assert!(reason("1 jam 2 jam").contains("the unit jam is given twice"));
        assert!(reason("1 jam 1h").contains("the unit jam is given twice"));
        assert!(reason("1 hari 1 hk").contains("the unit hari is given twice"));
        assert!(reason("5 min 5 mnt").contains("the unit menit is given twice"));
    }

    #[test]
    fn error_display_names_text_and_example() {
        let e = parse("1,5 jam").unwrap_err();
        let shown = e.to_string();
        assert!(
            shown.starts_with("cannot read waktu \"1,5 jam\": fractions"),
            "{shown}"
        );
        assert!(shown.ends_with("\"1 minggu\""), "{shown}");
    }

    #[test]
    fn working_secs_uses_day_length() {
        assert_eq!(w(1, 30).working_secs(450), (450 + 30) * 60);
    }

    proptest! {
        #[test]
        fn display_then_parse_round_trips(days in 0u32.., minutes in 0u32..) {
            prop_assume!(days > 0 || minutes > 0);
            let waktu = w(days, minutes);
            prop_assert_eq!(waktu.to_string().parse::<Waktu>(), Ok(waktu));
        }

        #[test]
        fn small_values_round_trip(days in 0u32..30, minutes in 0u32..2000) {
            prop_assume!(days > 0 || minutes > 0);
            let waktu = w(days, minutes);
            prop_assert_eq!(waktu.to_string().parse::<Waktu>(), Ok(waktu));
        }

        #[test]
        fn parse_never_panics(text in "\\PC*") {
            let _ = text.parse::<Waktu>();
        }

        #[test]
        fn parse_never_panics_on_unit_like_text(text in "[0-9 ,.hdwjamenitkrgu\\-]{0,30}") {
            let _ = text.parse::<Waktu>();
        }
    }
}
