//! Working time: weekly periods, holidays, "add N working seconds".
//!
//! A time standard (waktu) counts only working time: time before opening, in
//! a break, after closing, on a weekend or on a holiday does not count.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;

use chrono::format::ParseErrorKind;
use chrono::{
    DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta,
    TimeZone, Timelike, Utc,
};
use rust_i18n::t;
use serde::Deserialize;
use toml::Spanned;

/// The embedded default calendar: Pemkot Samarinda, WITA, 2026.
pub const EMBEDDED_SOURCE: &str = include_str!("../sop/kalender-samarinda.toml");
/// The name the embedded calendar goes by in messages.
pub const EMBEDDED_ORIGIN: &str = "(embedded) sop/kalender-samarinda.toml";

/// Which of the calendar's lists a holiday comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayKind {
    /// Libur nasional: a national holiday.
    LiburNasional,
    /// Cuti bersama: collective leave for civil servants.
    CutiBersama,
}

impl HolidayKind {
    /// The TOML key of the list this kind comes from.
    pub fn key(self) -> &'static str {
        match self {
            HolidayKind::LiburNasional => "libur_nasional",
            HolidayKind::CutiBersama => "cuti_bersama",
        }
    }
}

/// A non-working date with its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
    pub kind: HolidayKind,
}

/// A working calendar: zone, weekly working periods, day length, holidays.
#[derive(Debug)]
pub struct Calendar {
    name: String,
    offset: FixedOffset,
    day_minutes: u32,
    /// Jam kerja, indexed by days from Monday; sorted, non-overlapping.
    week: [Vec<Period>; 7],
    /// Working seconds in a week without holidays; > 0 by validation.
    week_secs: i64,
    holidays: BTreeMap<NaiveDate, Holiday>,
    /// Tahun: the years whose holidays are listed.
    years: BTreeSet<i32>,
    /// Earliest date touched per year outside `years`, for the caller's warning.
    uncovered: RefCell<BTreeMap<i32, NaiveDate>>,
}

/// One working period of a day, in seconds from local midnight (end <= 86 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Period {
    start: u32,
    end: u32,
}

const DAY_SECS: u32 = 86_400;
const WEEKDAYS: [&str; 7] = [
    "senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu",
];
/// WITA, the zone of Samarinda.
const DEFAULT_ZONE: FixedOffset = match FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("8 hours is a valid offset"),
};
const DEFAULT_DAY_MINUTES: u32 = 450;
/// Perpres 21/2023: 07:30 start, 60-minute break Monday–Thursday, 90 on Friday.
const DEFAULT_HOURS: [&[&str]; 7] = [
    &["07:30-12:00", "13:00-16:00"],
    &["07:30-12:00", "13:00-16:00"],
    &["07:30-12:00", "13:00-16:00"],
    &["07:30-12:00", "13:00-16:00"],
    &["07:30-11:30", "13:00-16:30"],
    &[],
    &[],
];

/// Why a calendar could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("{}", t!("calendar.cannot_read", path = .path, error = .source))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A TOML syntax error or a broken rule, at a place in the file.
    #[error("{origin}:{line}:{column}: {message}")]
    At {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
}

/// Why a time given on the command line could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", t!("calendar.bad_time", text = .text, reason = .reason))]
pub struct TimeError {
    pub text: String,
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    nama: Spanned<String>,
    zona: Option<Spanned<String>>,
    menit_per_hari: Option<Spanned<i64>>,
    tahun: Spanned<Vec<Spanned<i64>>>,
    jam_kerja: Option<Spanned<RawWeek>>,
    #[serde(default)]
    libur_nasional: Vec<RawHoliday>,
    #[serde(default)]
    cuti_bersama: Vec<RawHoliday>,
}

type RawDay = Option<Spanned<Vec<Spanned<String>>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWeek {
    senin: RawDay,
    selasa: RawDay,
    rabu: RawDay,
    kamis: RawDay,
    jumat: RawDay,
    sabtu: RawDay,
    minggu: RawDay,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    /// A TOML local date or a "YYYY-MM-DD" string; checked by hand for a better message.
    tanggal: Spanned<toml::Value>,
    nama: Spanned<String>,
}

/// Builds `CalendarError::At` from byte spans of one source.
struct Locator<'a> {
    src: &'a str,
    origin: &'a str,
}

impl Locator<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> CalendarError {
        let (line, column) = self.line_column(span.start);
        CalendarError::At {
            origin: self.origin.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.src.len());
        while !self.src.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.src[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }
}

impl Calendar {
    pub fn embedded() -> Result<Calendar, CalendarError> {
        Calendar::from_toml(EMBEDDED_SOURCE, EMBEDDED_ORIGIN)
    }

    /// Reads and validates a calendar file; messages name the path.
    pub fn load(path: &Path) -> Result<Calendar, CalendarError> {
        let origin = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|source| CalendarError::Io {
            path: origin.clone(),
            source,
        })?;
        Calendar::from_toml(&src, &origin)
    }

    /// Parses and validates a calendar; `origin` names the source in messages.
    pub fn from_toml(src: &str, origin: &str) -> Result<Calendar, CalendarError> {
        let at = Locator { src, origin };
        let raw: RawCalendar = toml::from_str(src).map_err(|e| {
            at.error(
                e.span().unwrap_or(0..0),
                crate::toml_text::describe(e.message()),
            )
        })?;

        let name = raw.nama.get_ref().trim();
        if name.is_empty() {
            return Err(at.error(raw.nama.span(), t!("calendar.nama_empty")));
        }

        let offset = match &raw.zona {
            None => DEFAULT_ZONE,
            Some(zona) => parse_offset(zona.get_ref()).ok_or_else(|| {
                at.error(
                    zona.span(),
                    t!("calendar.zona", zona = format!("{:?}", zona.get_ref())),
                )
            })?,
        };

        let day_minutes = match &raw.menit_per_hari {
            None => DEFAULT_DAY_MINUTES,
            Some(m) => match u32::try_from(*m.get_ref()) {
                Ok(v @ 1..=1440) => v,
                _ => {
                    return Err(
                        at.error(m.span(), t!("calendar.menit_per_hari", value = m.get_ref()))
                    )
                }
            },
        };

        let mut years = BTreeSet::new();
        for year in raw.tahun.get_ref() {
            let value = *year.get_ref();
            let valid = i32::try_from(value)
                .ok()
                .filter(|y| (NaiveDate::MIN.year()..=NaiveDate::MAX.year()).contains(y));
            let Some(y) = valid else {
                return Err(at.error(year.span(), t!("calendar.tahun_bad", value = value)));
            };
            if !years.insert(y) {
                return Err(at.error(year.span(), t!("calendar.tahun_twice", year = y)));
            }
        }

        let week = match &raw.jam_kerja {
            None => default_week(),
            Some(jam) => {
                let w = jam.get_ref();
                let days = [
                    &w.senin, &w.selasa, &w.rabu, &w.kamis, &w.jumat, &w.sabtu, &w.minggu,
                ];
                let mut week: [Vec<Period>; 7] = Default::default();
                for (i, day) in days.into_iter().enumerate() {
                    week[i] = match day {
                        None => default_day(i),
                        Some(periods) => parse_day(&at, WEEKDAYS[i], periods.get_ref())?,
                    };
                }
                if week.iter().all(Vec::is_empty) {
                    return Err(at.error(jam.span(), t!("calendar.no_periods")));
                }
                week
            }
        };
        let week_secs = week
            .iter()
            .flatten()
            .map(|p| i64::from(p.end - p.start))
            .sum();

        let mut holidays: BTreeMap<NaiveDate, (Holiday, usize)> = BTreeMap::new();
        let lists = [
            (HolidayKind::LiburNasional, &raw.libur_nasional),
            (HolidayKind::CutiBersama, &raw.cuti_bersama),
        ];
        for (kind, list) in lists {
            let key = kind.key();
            for entry in list {
                let span = entry.tanggal.span();
                let date = holiday_date(entry.tanggal.get_ref()).map_err(|why| {
                    at.error(span.clone(), t!("calendar.tanggal", key = key, why = why))
                })?;
                if !years.contains(&date.year()) {
                    return Err(at.error(
                        span,
                        t!(
                            "calendar.year_not_listed",
                            key = key,
                            date = date,
                            year = date.year()
                        ),
                    ));
                }
                let name = entry.nama.get_ref().trim();
                if name.is_empty() {
                    return Err(at.error(
                        entry.nama.span(),
                        t!("calendar.holiday_no_name", key = key, date = date),
                    ));
                }
                if let Some((first, first_at)) = holidays.get(&date) {
                    let (line, _) = at.line_column(*first_at);
                    return Err(at.error(
                        span,
                        t!(
                            "calendar.date_twice",
                            key = key,
                            date = date,
                            line = line,
                            first = format!("{} {:?}", first.kind.key(), first.name)
                        ),
                    ));
                }
                let holiday = Holiday {
                    date,
                    name: name.to_string(),
                    kind,
                };
                holidays.insert(date, (holiday, span.start));
            }
        }

        Ok(Calendar {
            name: name.to_string(),
            offset,
            day_minutes,
            week,
            week_secs,
            holidays: holidays.into_iter().map(|(d, (h, _))| (d, h)).collect(),
            years,
            uncovered: RefCell::default(),
        })
    }

    /// Nama: the calendar's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Zona: the fixed UTC offset all local times are read in.
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// Menit per hari: working minutes in "1 hari".
    pub fn day_minutes(&self) -> u32 {
        self.day_minutes
    }

    /// All holidays, by date.
    pub fn holidays(&self) -> impl Iterator<Item = &Holiday> {
        self.holidays.values()
    }

    /// Tahun: the years whose holidays this calendar lists, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// The instant at which `secs` working seconds have passed since `start`.
    ///
    /// A start outside working time starts the clock at the next opening; an
    /// amount that runs out exactly at a period's end gives that end. Times
    /// are counted in whole seconds. `secs <= 0` gives `start` unchanged. An
    /// amount beyond chrono's last date gives the last representable instant.
    pub fn add_working(&self, start: DateTime<FixedOffset>, secs: i64) -> DateTime<FixedOffset> {
        if secs <= 0 {
            return start;
        }
        let local = self.local(start);
        let mut date = local.date();
        let mut tod = local.time().num_seconds_from_midnight();
        let mut remaining = secs;
        loop {
            if tod == 0 {
                // Keep at least one second back so the last day is walked and
                // an end exactly at closing stays on that day.
                let weeks = (remaining - 1) / self.week_secs;
                remaining -= self.skip_weeks(&mut date, weeks) * self.week_secs;
            }
            for p in self.periods_on(date) {
                if tod >= p.end {
                    continue;
                }
                let from = tod.max(p.start);
                let available = i64::from(p.end - from);
                if remaining <= available {
                    // remaining <= available < 86 400, so the cast is exact.
                    return self.instant(date, from + remaining as u32);
                }
                remaining -= available;
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => return self.latest(),
            }
            tod = 0;
        }
    }

    /// Working seconds in `[from, to)`, counted in whole seconds; 0 when `to <= from`.
    pub fn working_between(&self, from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> i64 {
        if to <= from {
            return 0;
        }
        let (a, b) = (self.local(from), self.local(to));
        let mut date = a.date();
        let mut lo = a.time().num_seconds_from_midnight();
        let end_date = b.date();
        let end_tod = b.time().num_seconds_from_midnight();
        let mut total = 0;
        loop {
            if lo == 0 && date < end_date {
                let weeks = (end_date - date).num_days() / 7;
                total += self.skip_weeks(&mut date, weeks) * self.week_secs;
            }
            if date == end_date && end_tod == 0 {
                break;
            }
            let hi = if date == end_date { end_tod } else { DAY_SECS };
            for p in self.periods_on(date) {
                let (s, e) = (p.start.max(lo), p.end.min(hi));
                if e > s {
                    total += i64::from(e - s);
                }
            }
            if date >= end_date {
                break;
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
            lo = 0;
        }
        total
    }

    /// Hari kerja: the date has working periods and is not a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !self.periods_on(date).is_empty()
    }

    /// The holiday (libur nasional or cuti bersama) on `date`, if any.
    pub fn holiday(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays.get(&date)
    }

    /// Whether the calendar lists the holidays of `year` (tahun).
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The earliest date touched in each year the calendar does not cover, by year.
    ///
    /// Such dates were counted by weekday alone; the caller warns about them.
    pub fn uncovered_dates(&self) -> Vec<NaiveDate> {
        self.uncovered.borrow().values().copied().collect()
    }

    /// Reads a time: RFC 3339, or "YYYY-MM-DD HH:MM[:SS]" (space or `T`) in the
    /// calendar's zone. The result is in the calendar's zone, in whole seconds.
    pub fn parse_time(&self, text: &str) -> Result<DateTime<FixedOffset>, TimeError> {
        let fail = |reason: std::borrow::Cow<'_, str>| TimeError {
            text: text.to_string(),
            reason: reason.into_owned(),
        };
        let t = text.trim();
        if t.is_empty() {
            return Err(fail(t!("calendar.time.empty")));
        }
        if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
            return Ok(self.whole_seconds(dt));
        }
        const LOCAL_FORMATS: [&str; 4] = [
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
        ];
        let mut out_of_range = false;
        for format in LOCAL_FORMATS {
            match NaiveDateTime::parse_from_str(t, format) {
                Ok(naive) => {
                    return match self.offset.from_local_datetime(&naive).single() {
                        Some(dt) => Ok(self.whole_seconds(dt)),
                        None => Err(fail(t!("calendar.time.out_of_range"))),
                    };
                }
                Err(e) => {
                    out_of_range |= matches!(
                        e.kind(),
                        ParseErrorKind::OutOfRange | ParseErrorKind::Impossible
                    )
                }
            }
        }
        Err(fail(if out_of_range {
            t!("calendar.time.not_exist")
        } else if t.contains('/') {
            t!("calendar.time.slash")
        } else {
            t!("calendar.time.not_datetime")
        }))
    }

    /// Local date and time of `t`, clamped to chrono's range instead of panicking.
    fn local(&self, t: DateTime<FixedOffset>) -> NaiveDateTime {
        let utc = t.naive_utc();
        utc.checked_add_offset(self.offset)
            .unwrap_or(if utc.year() < 0 {
                NaiveDateTime::MIN
            } else {
                NaiveDateTime::MAX
            })
    }

    fn instant(&self, date: NaiveDate, secs_of_day: u32) -> DateTime<FixedOffset> {
        date.and_time(NaiveTime::MIN)
            .checked_add_signed(TimeDelta::seconds(secs_of_day.into()))
            .and_then(|naive| self.offset.from_local_datetime(&naive).single())
            .unwrap_or_else(|| {
                if date.year() < 0 {
                    DateTime::<Utc>::MIN_UTC.with_timezone(&self.offset)
                } else {
                    self.latest()
                }
            })
    }

    /// The last instant whose local time chrono can represent.
    fn latest(&self) -> DateTime<FixedOffset> {
        let last = NaiveDate::MAX
            .and_hms_opt(23, 59, 59)
            .unwrap_or(NaiveDateTime::MAX);
        self.offset
            .from_local_datetime(&last)
            .single()
            .unwrap_or_else(|| DateTime::<Utc>::MAX_UTC.with_timezone(&self.offset))
    }

    fn whole_seconds(&self, t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        DateTime::from_timestamp(t.timestamp(), 0).map_or(t, |u| u.with_timezone(&self.offset))
    }

    /// The working periods of `date`: none on a holiday. Notes coverage.
    fn periods_on(&self, date: NaiveDate) -> &[Period] {
        self.note_coverage(date);
        if self.holidays.contains_key(&date) {
            return &[];
        }
        &self.week[date.weekday().num_days_from_monday() as usize]
    }

    fn note_coverage(&self, date: NaiveDate) {
        if !self.covers(date.year()) {
            let mut uncovered = self.uncovered.borrow_mut();
            let first = uncovered.entry(date.year()).or_insert(date);
            *first = (*first).min(date);
        }
    }

    /// Moves `date` forward by up to `wanted` whole weeks that hold no holiday,
    /// so long spans cost O(holidays), not O(days). Returns the weeks skipped.
    fn skip_weeks(&self, date: &mut NaiveDate, wanted: i64) -> i64 {
        if wanted <= 0 {
            return 0;
        }
        let to_holiday = self
            .holidays
            .range(*date..)
            .next()
            .map_or(i64::MAX, |(h, _)| (*h - *date).num_days() / 7);
        let to_end = (NaiveDate::MAX - *date).num_days() / 7;
        let weeks = wanted.min(to_holiday).min(to_end);
        let next = u64::try_from(weeks * 7)
            .ok()
            .filter(|&days| days > 0)
            .and_then(|days| date.checked_add_days(Days::new(days)));
        let Some(next) = next else {
            return 0;
        };
        // The skipped days are touched too: the first of each year among them.
        let last = next.pred_opt().unwrap_or(next);
        self.note_coverage(*date);
        for year in date.year() + 1..=last.year() {
            if let Some(jan1) = NaiveDate::from_ymd_opt(year, 1, 1) {
                self.note_coverage(jan1);
            }
        }
        *date = next;
        weeks
    }
}

fn parse_offset(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let (h, m) = (two_digits(h)?, two_digits(m)?);
    if h > 23 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60) as i32)
}

fn two_digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Why a clock text in a period is not a time of day.
enum ClockError {
    /// Not shaped like HH:MM.
    Shape,
    /// Shaped right but past 24:00 or minute 59.
    Range,
}

/// "HH:MM" (H:MM allowed) as seconds from midnight, 00:00 to 24:00.
fn parse_clock(s: &str) -> Result<u32, ClockError> {
    let (h, m) = s.trim().split_once(':').ok_or(ClockError::Shape)?;
    let (Some(h), Some(m), 2) = (two_digits(h), two_digits(m), m.len()) else {
        return Err(ClockError::Shape);
    };
    if m > 59 || h > 24 || (h == 24 && m > 0) {
        return Err(ClockError::Range);
    }
    Ok(h * 3600 + m * 60)
}

fn format_clock(secs: u32) -> String {
    format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

fn parse_period(text: &str) -> Result<Period, String> {
    let shape = || t!("calendar.period.shape", text = format!("{text:?}")).into_owned();
    let (a, b) = text.split_once('-').ok_or_else(shape)?;
    let clock = |part: &str| {
        parse_clock(part).map_err(|e| match e {
            ClockError::Shape => shape(),
            ClockError::Range => t!(
                "calendar.period.range",
                text = format!("{text:?}"),
                clock = part.trim()
            )
            .into_owned(),
        })
    };
    let (start, end) = (clock(a)?, clock(b)?);
    if start == end {
        return Err(t!("calendar.period.empty", text = format!("{text:?}")).into_owned());
    }
    if end < start {
        return Err(t!(
            "calendar.period.reversed",
            text = format!("{text:?}"),
            fixed = format!("{}-{}", format_clock(end), format_clock(start))
        )
        .into_owned());
    }
    Ok(Period { start, end })
}

fn parse_day(
    at: &Locator<'_>,
    day: &str,
    periods: &[Spanned<String>],
) -> Result<Vec<Period>, CalendarError> {
    let mut out: Vec<Period> = Vec::with_capacity(periods.len());
    for (i, text) in periods.iter().enumerate() {
        let p = parse_period(text.get_ref())
            .map_err(|why| at.error(text.span(), t!("calendar.period.at", day = day, why = why)))?;
        if let Some(prev) = out.last() {
            let prev_text = periods[i - 1].get_ref();
            if p.start < prev.start {
                return Err(at.error(
                    text.span(),
                    t!(
                        "calendar.period.order",
                        day = day,
                        text = format!("{:?}", text.get_ref()),
                        prev = format!("{prev_text:?}")
                    ),
                ));
            }
            if p.start < prev.end {
                return Err(at.error(
                    text.span(),
                    t!(
                        "calendar.period.overlap",
                        day = day,
                        text = format!("{:?}", text.get_ref()),
                        prev = format!("{prev_text:?}"),
                        start = format_clock(prev.end)
                    ),
                ));
            }
        }
        out.push(p);
    }
    Ok(out)
}

fn default_day(index: usize) -> Vec<Period> {
    DEFAULT_HOURS[index]
        .iter()
        .filter_map(|text| parse_period(text).ok())
        .collect()
}

fn default_week() -> [Vec<Period>; 7] {
    std::array::from_fn(default_day)
}

fn holiday_date(value: &toml::Value) -> Result<NaiveDate, String> {
    let not_date = |value: String| t!("calendar.date.not_date", value = value).into_owned();
    match value {
        toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                    .ok_or_else(|| not_date(dt.to_string()))
            }
            _ => Err(t!("calendar.date.not_alone", value = dt).into_owned()),
        },
        toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .ok()
            .filter(|_| s.trim().len() == 10)
            .ok_or_else(|| not_date(format!("{s:?}"))),
        other => Err(t!("calendar.date.kind", kind = crate::toml_text::kind(other)).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cal() -> Calendar {
        Calendar::embedded().expect("embedded calendar loads")
    }

    fn t(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).expect("test time")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test date")
    }

    const MIN: i64 = 60;

    /// The (line, message) of a calendar that must be refused.
    fn refused(src: &str) -> (usize, String) {
        match Calendar::from_toml(src, "test.toml") {
            Err(CalendarError::At {
                origin,
                line,
                message,
                ..
            }) => {
                assert_eq!(origin, "test.toml");
                (line, message)
            }
            Err(other) => panic!("unexpected error {other}"),
            Ok(_) => panic!("calendar accepted:\n{src}"),
        }
    }

    const MINIMAL: &str = "nama = \"Uji\"\ntahun = [2026]\n";

    // --- loading ---

    #[test]
    fn embedded_calendar_loads_with_its_settings() {
        let c = cal();
        assert_eq!(c.name(), "Kalender kerja Pemerintah Kota Samarinda 2026");
        assert_eq!(c.offset(), FixedOffset::east_opt(8 * 3600).unwrap());
        assert_eq!(c.day_minutes(), 450);
        assert!(c.covers(2026));
        assert!(!c.covers(2027));
        assert_eq!(c.years().collect::<Vec<_>>(), vec![2026]);
        let kinds = |k| c.holidays().filter(|h| h.kind == k).count();
        assert_eq!(kinds(HolidayKind::LiburNasional), 17);
        assert_eq!(kinds(HolidayKind::CutiBersama), 8);
    }

    #[test]
    fn year_2026_has_240_working_days() {
        let c = cal();
        let days = date(2026, 1, 1)
            .iter_days()
            .take_while(|d| d.year() == 2026)
            .filter(|d| c.is_working_day(*d))
            .count();
        assert_eq!(days, 240);
        // Every working day is 450 minutes long, Friday included.
        let year = c.working_between(
            t("2026-01-01T00:00:00+08:00"),
            t("2027-01-01T00:00:00+08:00"),
        );
        assert_eq!(year, 240 * 450 * MIN);
        assert!(c.uncovered_dates().is_empty());
    }

    #[test]
    fn holidays_are_looked_up_by_date() {
        let c = cal();
        let eve = c
            .holiday(date(2026, 12, 24))
            .expect("24 Dec is cuti bersama");
        assert_eq!(eve.kind, HolidayKind::CutiBersama);
        assert_eq!(eve.name, "Cuti bersama Kelahiran Yesus Kristus");
        let christmas = c.holiday(date(2026, 12, 25)).expect("25 Dec is a holiday");
        assert_eq!(christmas.kind, HolidayKind::LiburNasional);
        assert_eq!(christmas.name, "Kelahiran Yesus Kristus");
        assert_eq!(
            c.holiday(date(2026, 8, 17)).map(|h| h.name.as_str()),
            Some("Proklamasi Kemerdekaan Republik Indonesia")
        );
        assert!(!c.is_working_day(date(2026, 12, 24)));
        assert!(!c.is_working_day(date(2026, 12, 25)));
        assert!(c.is_working_day(date(2026, 12, 23)));
        assert!(!c.is_working_day(date(2026, 12, 26)), "Saturday");
        assert!(c.holiday(date(2026, 12, 23)).is_none());
        // A weekend holiday is still listed.
        assert!(c.holiday(date(2026, 3, 22)).is_some());
    }

    #[test]
    fn defaults_apply_when_keys_are_absent() {
        let c = Calendar::from_toml(MINIMAL, "m").unwrap();
        assert_eq!(c.offset(), FixedOffset::east_opt(8 * 3600).unwrap());
        assert_eq!(c.day_minutes(), 450);
        assert_eq!(c.week, cal().week);
        assert_eq!(c.holidays().count(), 0);
    }

    #[test]
    fn absent_weekday_in_jam_kerja_takes_the_default_hours() {
        let c = Calendar::from_toml(
            "nama = \"Uji\"\ntahun = [2026]\n[jam_kerja]\nsenin = [\"08:00-14:00\"]\n",
            "m",
        )
        .unwrap();
        assert_eq!(
            c.week[0],
            vec![Period {
                start: 8 * 3600,
                end: 14 * 3600
            }]
        );
        assert_eq!(c.week[1..], cal().week[1..]);
    }

    #[test]
    fn configured_hours_zone_and_string_dates_are_used() {
        // Pemkot Samarinda 2023 hours, another zone, a date written as a string.
        let src = r#"
nama = "Uji 2023"
zona = "+07:00"
menit_per_hari = 480
tahun = [2026]
[jam_kerja]
senin = ["08:00-16:00"]
selasa = ["08:00-16:00"]
rabu = ["08:00-16:00"]
kamis = ["08:00-16:00"]
jumat = ["08:00-14:00"]
[[libur_nasional]]
tanggal = "2026-12-25"
nama = "Natal"
"#;
        let c = Calendar::from_toml(src, "m").unwrap();
        assert_eq!(c.offset(), FixedOffset::east_opt(7 * 3600).unwrap());
        assert_eq!(c.day_minutes(), 480);
        assert_eq!(c.holiday(date(2026, 12, 25)).unwrap().name, "Natal");
        // Thu 24 Dec 15:00 WIB + 2 h: 1 h Thursday, Friday 25 off, Monday 08:00 + 1 h.
        assert_eq!(
            c.add_working(t("2026-12-24T15:00:00+07:00"), 120 * MIN),
            t("2026-12-28T09:00:00+07:00")
        );
    }

    #[test]
    fn load_reads_a_file_and_names_it_in_errors() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("kalender.toml");
        std::fs::write(&good, EMBEDDED_SOURCE).unwrap();
        assert_eq!(Calendar::load(&good).unwrap().holidays().count(), 25);

        let bad = dir.path().join("rusak.toml");
        std::fs::write(&bad, "nama = \"x\"\ntahun = [2026]\nzona = \"WITA\"\n").unwrap();
        let err = Calendar::load(&bad).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}:3:8: zona: \"WITA\"", bad.display())),
            "{err}"
        );

        let missing = dir.path().join("tidak-ada.toml");
        match Calendar::load(&missing) {
            Err(CalendarError::Io { path, .. }) => assert_eq!(path, missing.display().to_string()),
            other => panic!("expected Io error, got {other:?}"),
        }
    }

    // --- validation: each rule names the place and the fix ---

    #[test]
    fn toml_syntax_error_has_position_and_message() {
        let err = Calendar::from_toml("nama = \"Uji\"\ntahun = [2026\n", "test.toml").unwrap_err();
        let CalendarError::At {
            line,
            column,
            message,
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(*line, 2);
        assert!(*column >= 1);
        assert!(!message.is_empty());
        assert!(err.to_string().starts_with("test.toml:2:"), "{err}");
    }

    #[test]
    fn unknown_key_is_refused() {
        let (line, msg) = refused("nama = \"Uji\"\ntahun = [2026]\nmenit_perhari = 400\n");
        assert_eq!(line, 3);
        assert!(msg.contains("unknown field `menit_perhari`"), "{msg}");
        let (line, msg) = refused("nama = \"Uji\"\ntahun = [2026]\n[jam_kerja]\nsenen = []\n");
        assert_eq!(line, 4);
        assert!(msg.contains("unknown field `senen`"), "{msg}");
        let (line, msg) = refused(
            "nama = \"Uji\"\ntahun = [2026]\n[[cuti_bersama]]\ntanggal = 2026-12-24\nnama = \"x\"\nnamma = \"y\"\n",
        );
        assert_eq!(line, 6);
        assert!(msg.contains("unknown field `namma`"), "{msg}");
    }

    #[test]
    fn missing_required_keys_are_refused() {
        let (_, msg) = refused("nama = \"Uji\"\n");
        assert!(msg.contains("missing field `tahun`"), "{msg}");
        let (_, msg) = refused("tahun = [2026]\n");
        assert!(msg.contains("missing field `nama`"), "{msg}");
    }

    #[test]
    fn empty_name_is_refused() {
        let (line, msg) = refused("tahun = [2026]\nnama = \"  \"\n");
        assert_eq!(line, 2);
        assert!(msg.starts_with("nama is empty"), "{msg}");
    }

    #[test]
    fn bad_zone_is_refused() {
        for bad in ["WITA", "+8", "08:00", "+24:00", "+08:60", "+08:00:00"] {
            let (line, msg) = refused(&format!("{MINIMAL}zona = \"{bad}\"\n"));
            assert_eq!(line, 3, "{bad}");
            assert_eq!(
                msg,
                format!("zona: \"{bad}\" is not a UTC offset; write it as \"+08:00\" (WITA), \"+07:00\" (WIB) or \"+09:00\" (WIT)")
            );
        }
        let c = Calendar::from_toml(&format!("{MINIMAL}zona = \"-03:30\"\n"), "m").unwrap();
        assert_eq!(c.offset(), FixedOffset::west_opt(3 * 3600 + 1800).unwrap());
    }

    #[test]
    fn bad_day_length_is_refused() {
        for bad in ["0", "-450", "1441"] {
            let (line, msg) = refused(&format!("{MINIMAL}menit_per_hari = {bad}\n"));
            assert_eq!(line, 3);
            assert!(
                msg.starts_with(&format!(
                    "menit_per_hari: {bad} is not the length of a working day"
                )),
                "{msg}"
            );
        }
    }

    #[test]
    fn reversed_period_is_refused_with_the_fix() {
        let (line, msg) = refused(&format!(
            "{MINIMAL}[jam_kerja]\nsenin = [\"12:00-07:30\"]\n"
        ));
        assert_eq!(line, 4);
        assert_eq!(
            msg,
            "jam_kerja.senin: period \"12:00-07:30\" ends before it starts; write it as \"07:30-12:00\""
        );
    }

    #[test]
    fn empty_period_is_refused() {
        let (line, msg) = refused(&format!(
            "{MINIMAL}[jam_kerja]\nrabu = [\n  \"08:00-08:00\",\n]\n"
        ));
        assert_eq!(line, 5);
        assert!(
            msg.starts_with("jam_kerja.rabu: period \"08:00-08:00\" is empty"),
            "{msg}"
        );
    }

    #[test]
    fn malformed_period_is_refused() {
        for bad in [
            "7.30-12.00",
            "07:30",
            "07:30-",
            "ab:cd-12:00",
            "07:3-12:00",
            "07:30-12:00-13:00",
        ] {
            let (line, msg) = refused(&format!("{MINIMAL}[jam_kerja]\nselasa = [\"{bad}\"]\n"));
            assert_eq!(line, 4, "{bad}");
            assert_eq!(
                msg,
                format!("jam_kerja.selasa: \"{bad}\" is not a period; write it as \"HH:MM-HH:MM\", e.g. \"07:30-12:00\""),
            );
        }
    }

    #[test]
    fn period_outside_the_day_is_refused() {
        for (bad, clock) in [
            ("07:30-25:00", "25:00"),
            ("07:30-24:01", "24:01"),
            ("07:60-12:00", "07:60"),
        ] {
            let (line, msg) = refused(&format!("{MINIMAL}[jam_kerja]\nkamis = [\"{bad}\"]\n"));
            assert_eq!(line, 4);
            assert_eq!(
                msg,
                format!("jam_kerja.kamis: period \"{bad}\": {clock} is not a time of day; use 00:00 to 24:00")
            );
        }
        // 24:00 closes the day.
        let c = Calendar::from_toml(
            &format!("{MINIMAL}[jam_kerja]\nsabtu = [\"20:00-24:00\"]\n"),
            "m",
        )
        .unwrap();
        assert_eq!(
            c.add_working(t("2026-12-05T20:00:00+08:00"), 4 * 60 * MIN),
            t("2026-12-06T00:00:00+08:00")
        );
    }

    #[test]
    fn unsorted_periods_are_refused() {
        let (line, msg) = refused(&format!(
            "{MINIMAL}[jam_kerja]\njumat = [\n  \"13:00-16:30\",\n  \"07:30-11:30\",\n]\n"
        ));
        assert_eq!(line, 6);
        assert_eq!(
            msg,
            "jam_kerja.jumat: period \"07:30-11:30\" comes before \"13:00-16:30\"; list the periods of a day in time order"
        );
    }

    #[test]
    fn overlapping_periods_are_refused() {
        let (line, msg) = refused(&format!(
            "{MINIMAL}[jam_kerja]\nsenin = [\"07:30-12:00\", \"11:00-16:00\"]\n"
        ));
        assert_eq!(line, 4);
        assert_eq!(
            msg,
            "jam_kerja.senin: period \"11:00-16:00\" overlaps \"07:30-12:00\"; start it at 12:00 or later"
        );
    }

    #[test]
    fn touching_periods_are_accepted() {
        let c = Calendar::from_toml(
            &format!("{MINIMAL}[jam_kerja]\nsenin = [\"07:30-12:00\", \"12:00-16:00\"]\n"),
            "m",
        )
        .unwrap();
        assert_eq!(
            c.add_working(t("2026-12-07T11:00:00+08:00"), 2 * 60 * MIN),
            t("2026-12-07T13:00:00+08:00")
        );
    }

    #[test]
    fn week_without_working_time_is_refused() {
        let src = format!(
            "{MINIMAL}\n[jam_kerja]\nsenin = []\nselasa = []\nrabu = []\nkamis = []\njumat = []\nsabtu = []\nminggu = []\n"
        );
        let (line, msg) = refused(&src);
        assert_eq!(line, 4);
        assert!(
            msg.starts_with("jam_kerja: no day has a working period"),
            "{msg}"
        );
    }

    #[test]
    fn holiday_outside_the_listed_years_is_refused() {
        let (line, msg) = refused(&format!(
            "{MINIMAL}\n[[libur_nasional]]\ntanggal = 2027-01-01\nnama = \"Tahun Baru 2027 Masehi\"\n"
        ));
        assert_eq!(line, 5);
        assert_eq!(
            msg,
            "libur_nasional: 2027-01-01 is in 2027, which tahun does not list; add 2027 to tahun or remove this date"
        );
    }

    #[test]
    fn date_listed_twice_is_refused() {
        // Twice across lists.
        let (line, msg) = refused(&format!(
            "{MINIMAL}[[libur_nasional]]\ntanggal = 2026-12-25\nnama = \"Natal\"\n[[cuti_bersama]]\ntanggal = \"2026-12-25\"\nnama = \"Cuti Natal\"\n"
        ));
        assert_eq!(line, 7);
        assert_eq!(
            msg,
            "cuti_bersama: 2026-12-25 is already listed on line 4 (libur_nasional \"Natal\"); list each date once"
        );
        // Twice in one list.
        let (line, _) = refused(&format!(
            "{MINIMAL}[[cuti_bersama]]\ntanggal = 2026-12-24\nnama = \"a\"\n[[cuti_bersama]]\ntanggal = 2026-12-24\nnama = \"b\"\n"
        ));
        assert_eq!(line, 7);
    }

    #[test]
    fn bad_holiday_date_is_refused() {
        let cases = [
            ("\"2026-02-30\"", "\"2026-02-30\" is not a date"),
            ("\"26-12-2026\"", "\"26-12-2026\" is not a date"),
            ("\"2026-1-1\"", "\"2026-1-1\" is not a date"),
            (
                "2026-12-25T08:00:00",
                "2026-12-25T08:00:00 is not a date alone",
            ),
            ("20261225", "is an integer, not a date"),
        ];
        for (value, want) in cases {
            let (line, msg) = refused(&format!(
                "{MINIMAL}[[libur_nasional]]\nnama = \"x\"\ntanggal = {value}\n"
            ));
            assert_eq!(line, 5, "{value}");
            assert!(
                msg.starts_with(&format!("libur_nasional: tanggal {want}")),
                "{msg}"
            );
            assert!(
                msg.ends_with("write it as a date such as 2026-01-01"),
                "{msg}"
            );
        }
    }

    #[test]
    fn empty_holiday_name_is_refused() {
        let (line, msg) = refused(&format!(
            "{MINIMAL}[[cuti_bersama]]\ntanggal = 2026-12-24\nnama = \"\"\n"
        ));
        assert_eq!(line, 5);
        assert_eq!(
            msg,
            "cuti_bersama: the holiday on 2026-12-24 has an empty nama; give its name"
        );
    }

    #[test]
    fn bad_years_are_refused() {
        let (line, msg) = refused("nama = \"Uji\"\ntahun = [\n  2026,\n  2026,\n]\n");
        assert_eq!(line, 4);
        assert_eq!(msg, "tahun: 2026 is listed twice; remove one");
        let (line, msg) = refused("nama = \"Uji\"\ntahun = [2026, 9999999]\n");
        assert_eq!(line, 2);
        assert!(msg.starts_with("tahun: 9999999 is not a year"), "{msg}");
    }

    #[test]
    fn column_counts_characters() {
        let err = Calendar::from_toml("nama = \"Ujī\"\ntahun = [2026]\nzona = \"Ā\" \n", "u")
            .unwrap_err();
        let CalendarError::At { line, column, .. } = err else {
            panic!()
        };
        assert_eq!((line, column), (3, 8));
    }

    // --- due times ---

    fn due(start: &str, minutes: i64) -> DateTime<FixedOffset> {
        cal().add_working(t(start), minutes * MIN)
    }

    #[test]
    fn lunch_break_does_not_count() {
        assert_eq!(
            due("2026-12-07T11:45:00+08:00", 30),
            t("2026-12-07T13:15:00+08:00")
        );
    }

    #[test]
    fn two_working_days_span_the_weekend() {
        // Thu 10:00–16:00 less the break is 300 min, Friday 450, then 150 on Monday.
        assert_eq!(
            due("2026-12-03T10:00:00+08:00", 900),
            t("2026-12-07T10:00:00+08:00")
        );
    }

    #[test]
    fn friday_has_its_own_hours() {
        assert_eq!(
            due("2026-12-04T11:00:00+08:00", 60),
            t("2026-12-04T13:30:00+08:00")
        );
        assert_eq!(
            due("2026-12-04T16:20:00+08:00", 30),
            t("2026-12-07T07:50:00+08:00")
        );
    }

    #[test]
    fn holidays_do_not_count() {
        assert_eq!(
            due("2026-12-23T10:00:00+08:00", 450),
            t("2026-12-28T10:00:00+08:00")
        );
    }

    #[test]
    fn clock_starts_at_the_next_opening() {
        assert_eq!(
            due("2026-12-05T09:00:00+08:00", 30),
            t("2026-12-07T08:00:00+08:00")
        );
        assert_eq!(
            due("2026-12-07T06:00:00+08:00", 30),
            t("2026-12-07T08:00:00+08:00")
        );
        assert_eq!(
            due("2026-12-07T12:30:00+08:00", 30),
            t("2026-12-07T13:30:00+08:00")
        );
        assert_eq!(
            due("2026-12-07T16:00:00+08:00", 30),
            t("2026-12-08T08:00:00+08:00")
        );
    }

    #[test]
    fn amount_ending_at_closing_gives_that_end() {
        // Whole weeks, where days are skipped in bulk, still end at Friday's closing.
        assert_eq!(
            due("2026-09-07T00:00:00+08:00", 5 * 450),
            t("2026-09-11T16:30:00+08:00")
        );
        assert_eq!(
            due("2026-09-06T00:00:00+08:00", 2 * 5 * 450),
            t("2026-09-18T16:30:00+08:00")
        );
        assert_eq!(
            due("2026-12-07T07:30:00+08:00", 270),
            t("2026-12-07T12:00:00+08:00")
        );
        assert_eq!(
            due("2026-12-07T07:30:00+08:00", 450),
            t("2026-12-07T16:00:00+08:00")
        );
        assert_eq!(
            due("2026-12-04T07:30:00+08:00", 450),
            t("2026-12-04T16:30:00+08:00")
        );
    }

    #[test]
    fn non_positive_amount_returns_start() {
        let start = t("2026-12-05T09:00:00.250+08:00");
        assert_eq!(cal().add_working(start, 0), start);
        assert_eq!(cal().add_working(start, -60), start);
    }

    #[test]
    fn start_in_another_offset_is_read_in_the_calendar_zone() {
        // 00:00 UTC is 08:00 WITA.
        let d = cal().add_working(t("2026-12-07T00:00:00Z"), 30 * MIN);
        assert_eq!(d, t("2026-12-07T08:30:00+08:00"));
        assert_eq!(d.offset(), &FixedOffset::east_opt(8 * 3600).unwrap());
    }

    #[test]
    fn long_amounts_cross_holidays_and_years() {
        let c = cal();
        // 240 working days from the first working minute of 2026 end at its last.
        let start = t("2026-01-02T07:30:00+08:00");
        assert_eq!(
            c.add_working(start, 240 * 450 * MIN),
            t("2026-12-31T16:00:00+08:00")
        );
        assert!(c.uncovered_dates().is_empty());
        // Beyond the covered years, whole weeks are skipped and each year is noted.
        let far = c.add_working(start, 52 * 5 * 450 * MIN * 3);
        assert!(far > t("2028-12-01T00:00:00+08:00") && far < t("2029-01-31T00:00:00+08:00"));
        assert_eq!(c.working_between(start, far), 52 * 5 * 450 * MIN * 3);
        assert_eq!(
            c.uncovered_dates(),
            vec![date(2027, 1, 1), date(2028, 1, 1), date(2029, 1, 1)]
        );
    }

    #[test]
    fn extreme_inputs_do_not_panic() {
        let c = cal();
        let start = t("2026-12-07T08:00:00+08:00");
        let end = c.add_working(start, i64::MAX);
        assert!(end > start);
        assert_eq!(
            end.naive_local(),
            NaiveDate::MAX.and_hms_opt(23, 59, 59).unwrap()
        );
        let max = DateTime::<Utc>::MAX_UTC.fixed_offset();
        let min = DateTime::<Utc>::MIN_UTC.fixed_offset();
        let _ = c.add_working(max, 60);
        let _ = c.add_working(min, 60);
        assert!(c.working_between(min, max) > 0);
        assert_eq!(c.working_between(max, min), 0);
        let west = Calendar::from_toml(&format!("{MINIMAL}zona = \"-12:00\"\n"), "m").unwrap();
        let _ = west.add_working(max, 60).to_string();
        let _ = west.add_working(min, 60).to_string();
        assert!(west.working_between(min, max) > 0);
    }

    // --- working_between ---

    fn between(from: &str, to: &str) -> i64 {
        cal().working_between(t(from), t(to))
    }

    #[test]
    fn working_between_counts_only_working_time() {
        assert_eq!(
            between("2026-12-07T11:45:00+08:00", "2026-12-07T13:15:00+08:00"),
            30 * MIN
        );
        assert_eq!(
            between("2026-12-03T10:00:00+08:00", "2026-12-07T10:00:00+08:00"),
            900 * MIN
        );
        assert_eq!(
            between("2026-12-23T10:00:00+08:00", "2026-12-28T10:00:00+08:00"),
            450 * MIN
        );
        // A whole weekend is worth nothing.
        assert_eq!(
            between("2026-12-05T00:00:00+08:00", "2026-12-07T00:00:00+08:00"),
            0
        );
        // A whole Monday, ending exactly at midnight.
        assert_eq!(
            between("2026-12-07T00:00:00+08:00", "2026-12-08T00:00:00+08:00"),
            450 * MIN
        );
        assert_eq!(
            between("2026-12-07T12:10:00+08:00", "2026-12-07T12:50:00+08:00"),
            0
        );
        assert_eq!(
            between("2026-12-07T08:00:00+08:00", "2026-12-07T08:00:01+08:00"),
            1
        );
    }

    #[test]
    fn working_between_is_zero_for_empty_or_reversed_intervals() {
        assert_eq!(
            between("2026-12-07T10:00:00+08:00", "2026-12-07T10:00:00+08:00"),
            0
        );
        assert_eq!(
            between("2026-12-07T10:00:00+08:00", "2026-12-03T10:00:00+08:00"),
            0
        );
    }

    // --- coverage ---

    #[test]
    fn reaching_an_uncovered_year_is_remembered() {
        let c = cal();
        // Fri 1 Jan 2027 is counted as a working day: its holidays are not listed.
        let d = c.add_working(t("2026-12-31T10:00:00+08:00"), 450 * MIN);
        assert_eq!(d, t("2027-01-01T10:00:00+08:00"));
        assert_eq!(c.uncovered_dates(), vec![date(2027, 1, 1)]);
        // The earliest date of a year is kept; years come sorted.
        c.is_working_day(date(2025, 6, 1));
        c.is_working_day(date(2025, 3, 1));
        c.add_working(t("2027-03-01T10:00:00+08:00"), MIN);
        assert_eq!(
            c.uncovered_dates(),
            vec![date(2025, 3, 1), date(2027, 1, 1)]
        );
    }

    #[test]
    fn covered_computations_record_nothing() {
        let c = cal();
        c.add_working(t("2026-12-23T10:00:00+08:00"), 900 * MIN);
        c.add_working(t("2026-12-31T07:30:00+08:00"), 450 * MIN);
        c.working_between(
            t("2026-01-01T00:00:00+08:00"),
            t("2026-12-31T23:59:59+08:00"),
        );
        c.is_working_day(date(2026, 7, 1));
        c.holiday(date(2030, 1, 1));
        assert!(!c.covers(2030));
        assert!(c.uncovered_dates().is_empty());
        c.working_between(
            t("2026-12-31T10:00:00+08:00"),
            t("2027-01-04T10:00:00+08:00"),
        );
        assert_eq!(c.uncovered_dates(), vec![date(2027, 1, 1)]);
    }

    // --- parse_time ---

    #[test]
    fn parse_time_accepts_rfc3339_and_local_forms() {
        let c = cal();
        let want = t("2026-12-07T08:00:00+08:00");
        for text in [
            "2026-12-07T08:00:00+08:00",
            "2026-12-07T00:00:00Z",
            "2026-12-07T07:00:00+07:00",
            "2026-12-07 08:00",
            "2026-12-07T08:00",
            "  2026-12-07 08:00:00\n",
            "2026-12-07T08:00:00",
            "2026-12-07T08:00:00.999+08:00",
        ] {
            let got = c
                .parse_time(text)
                .unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(got, want, "{text:?}");
            assert_eq!(got.offset(), &c.offset(), "{text:?}");
        }
        assert_eq!(
            c.parse_time("2026-12-07 08:00:30").unwrap(),
            t("2026-12-07T08:00:30+08:00")
        );
    }

    #[test]
    fn parse_time_refuses_other_text() {
        let c = cal();
        let cases = [
            ("tomorrow", "it is not a date and time"),
            ("", "it is empty"),
            ("2026-12-07", "it is not a date and time"),
            ("2026-13-01 08:00", "that date or time does not exist"),
            ("2026-02-30 08:00", "that date or time does not exist"),
            ("2026-12-07 24:30", "that date or time does not exist"),
            ("07/12/2026", "dates with '/' are ambiguous"),
        ];
        for (text, reason) in cases {
            let err = c.parse_time(text).unwrap_err();
            assert_eq!(err.text, text);
            assert!(err.reason.starts_with(reason), "{text:?}: {}", err.reason);
            assert!(err.to_string().contains("2026-12-07T08:00:00+08:00"));
        }
    }

    // --- properties ---

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn due_time_gives_back_the_amount(
            start_secs in 0i64..365 * 86_400,
            nanos in 0u32..1_000_000_000,
            n in 1i64..=20 * 450 * 60,
        ) {
            let c = cal();
            let start = t("2026-01-01T00:00:00+08:00")
                + TimeDelta::seconds(start_secs)
                + TimeDelta::nanoseconds(nanos.into());
            let due = c.add_working(start, n);
            prop_assert!(due > start);
            prop_assert_eq!(c.working_between(start, due), n);
            // Due one second earlier would not be enough.
            prop_assert_eq!(c.working_between(start, due - TimeDelta::seconds(1)), n - 1);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        #[test]
        fn from_toml_never_panics_on_any_text(src in any::<String>()) {
            let _ = Calendar::from_toml(&src, "p");
        }

        #[test]
        fn from_toml_never_panics_on_a_mutated_calendar(
            edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..8, ".{0,6}"), 1..4),
        ) {
            let mut chars: Vec<char> = EMBEDDED_SOURCE.chars().collect();
            for (at, cut, insert) in edits {
                let i = at.index(chars.len() + 1);
                let j = (i + cut).min(chars.len());
                chars.splice(i..j, insert.chars());
            }
            let src: String = chars.into_iter().collect();
            if let Ok(c) = Calendar::from_toml(&src, "p") {
                // Whatever parsed must still compute.
                let start = t("2026-12-07T08:00:00+08:00");
                let due = c.add_working(start, 450 * 60);
                prop_assert_eq!(c.working_between(start, due), 450 * 60);
            }
        }

        #[test]
        fn parse_time_never_panics(text in "\\PC{0,30}") {
            let _ = cal().parse_time(&text);
        }
    }
}
