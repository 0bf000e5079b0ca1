//! The language of what the tool says: Bahasa Indonesia unless English is
//! asked for. Every text comes from the catalogs in `locales/`; the help
//! texts of the clap definitions are replaced from them at run time.

use std::ffi::OsString;

use clap::{Arg, ArgAction, Command};
use rust_i18n::t;

/// A language the catalogs speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Bahasa Indonesia
    Id,
    /// English
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    fn from_code(code: &str) -> Option<Lang> {
        match code {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The language asked for: `--lang`, else `KOPERASI_SOP_LANG`, else the
/// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set) when it is
/// English; Indonesian otherwise. Read before clap parses anything, so that
/// its help and errors speak the language too; a value clap would refuse
/// is passed over here and refused by clap.
pub fn choose(args: &[OsString], var: impl Fn(&str) -> Option<String>) -> Lang {
    let mut given = None;
    let mut args = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            given = args.next().map(|v| v.into_owned());
        } else if let Some(value) = arg.strip_prefix("--lang=") {
            given = Some(value.to_string());
        }
    }
    if let Some(lang) = given.as_deref().and_then(Lang::from_code) {
        return lang;
    }
    if let Some(lang) = var("KOPERASI_SOP_LANG")
        .as_deref()
        .and_then(Lang::from_code)
    {
        return lang;
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(&var)
        .find(|v| !v.is_empty());
    match locale {
        Some(l) if l.starts_with("en") => Lang::En,
        _ => Lang::Id,
    }
}

/// Sets the language of every later text.
pub fn set(lang: Lang) {
    rust_i18n::set_locale(lang.code());
}

/// The catalog's text for `key` in the current language, if it has one.
fn text(key: &str) -> Option<String> {
    crate::_rust_i18n_try_translate(&rust_i18n::locale(), key).map(|t| t.into_owned())
}

/// The command with its help in the current language.
pub fn localise(cmd: Command) -> Command {
    let cmd = cmd.disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help_heading(t!("help.heading.options").into_owned())
            .help(t!("help.flag.version").into_owned()),
    );
    localise_command(cmd, "")
}

/// The catalog key of a command's texts: its path below the root.
fn prefix(path: &str) -> String {
    if path.is_empty() {
        "help".to_string()
    } else {
        format!("help.{path}")
    }
}

fn localise_command(mut cmd: Command, path: &str) -> Command {
    let key = prefix(path);
    if let Some(about) = text(&format!("{key}.about")) {
        cmd = cmd.about(about);
    }
    if cmd.get_long_about().is_some() {
        if let Some(long) = text(&format!("{key}.long_about")) {
            cmd = cmd.long_about(long);
        }
    }
    if cmd.get_after_long_help().is_some() {
        if let Some(after) = text(&format!("{key}.after_long_help")) {
            cmd = cmd.after_long_help(after);
        }
    }
    let usage = t!("help.heading.usage");
    cmd = cmd
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{usage} {{usage}}\n\n{{all-args}}{{after-help}}"
        ))
        .subcommand_help_heading(t!("help.heading.commands").into_owned())
        .subcommand_value_name(t!("help.value_name.command").into_owned())
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help_heading(t!("help.heading.options").into_owned())
                .help(t!("help.flag.help").into_owned()),
        );
    let args: Vec<(String, bool)> = cmd
        .get_arguments()
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"))
        .map(|a| (a.get_id().to_string(), a.is_global_set()))
        .collect();
    for (id, global) in args {
        let key = if global {
            format!("help.global.arg.{id}")
        } else {
            format!("{key}.arg.{id}")
        };
        cmd = cmd.mut_arg(id, |arg| localise_arg(arg, &key));
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path}.{name}")
        };
        cmd = cmd.mut_subcommand(name, |sub| localise_command(sub, &path));
    }
    cmd
}

fn localise_arg(mut arg: Arg, key: &str) -> Arg {
    if let Some(help) = text(key) {
        arg = arg.help(help);
    }
    let mut long = match arg.get_long_help() {
        Some(_) => text(&format!("{key}.long")),
        None => None,
    };
    // Possible values with their meaning, in the language: clap's own list
    // would print the help of the definitions.
    let values = arg.get_possible_values();
    if !arg.is_hide_possible_values_set() && values.iter().any(|v| v.get_help().is_some()) {
        let mut list = format!("{}:", t!("help.possible_values"));
        for v in values.iter().filter(|v| !v.is_hide_set()) {
            let name = v.get_name();
            let meaning = text(&format!("{key}.value.{name}")).unwrap_or_default();
            list.push_str(&format!("\n- {name}: {meaning}"));
        }
        let base = long
            .or_else(|| text(key))
            .unwrap_or_else(|| arg.get_help().map(|h| h.to_string()).unwrap_or_default());
        long = Some(format!("{base}\n\n{list}"));
        arg = arg.hide_possible_values(true);
    }
    if let Some(long) = long {
        arg = arg.long_help(long);
    }
    let heading = match arg.get_help_heading() {
        Some("Global options") => Some(t!("help.heading.global")),
        Some(_) => None,
        None if arg.is_positional() => Some(t!("help.heading.arguments")),
        None => Some(t!("help.heading.options")),
    };
    if let Some(heading) = heading {
        arg = arg.help_heading(heading.into_owned());
    }
    arg
}

/// Every catalog key the help of `cmd` needs, with the English text of the
/// clap definitions where they have one (`None` for keys they have no
/// text for, such as the meaning of a possible value without a doc).
#[cfg(test)]
pub fn help_keys(cmd: &Command) -> Vec<(String, Option<String>)> {
    let mut keys = Vec::new();
    walk_keys(cmd, "", &mut keys);
    keys
}

#[cfg(test)]
fn walk_keys(cmd: &Command, path: &str, keys: &mut Vec<(String, Option<String>)>) {
    let key = prefix(path);
    keys.push((
        format!("{key}.about"),
        cmd.get_about().map(|t| t.to_string()),
    ));
    if let Some(long) = cmd.get_long_about() {
        keys.push((format!("{key}.long_about"), Some(long.to_string())));
    }
    if let Some(after) = cmd.get_after_long_help() {
        keys.push((format!("{key}.after_long_help"), Some(after.to_string())));
    }
    for arg in cmd.get_arguments() {
        let id = arg.get_id().as_str();
        let key = if arg.is_global_set() {
            format!("help.global.arg.{id}")
        } else {
            format!("{key}.arg.{id}")
        };
        keys.push((key.clone(), arg.get_help().map(|t| t.to_string())));
        if let Some(long) = arg.get_long_help() {
            keys.push((format!("{key}.long"), Some(long.to_string())));
        }
        let values = arg.get_possible_values();
        if values.iter().any(|v| v.get_help().is_some()) {
            for v in values.iter().filter(|v| !v.is_hide_set()) {
                keys.push((
                    format!("{key}.value.{}", v.get_name()),
                    v.get_help().map(|t| t.to_string()),
                ));
            }
        }
    }
    for sub in cmd.get_subcommands() {
        let path = if path.is_empty() {
            sub.get_name().to_string()
        } else {
            format!("{path}.{}", sub.get_name())
        };
        walk_keys(sub, &path, keys);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    fn vars<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        }
    }

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    /// Both catalogs, key by key, as the `i18n!` macro reads them.
    fn catalogs() -> BTreeMap<String, BTreeMap<String, String>> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/locales");
        rust_i18n_support::load_locales(dir, |_| false)
    }

    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.match_indices("%{")
            .filter_map(|(i, _)| {
                let rest = &text[i + 2..];
                rest.find('}').map(|end| &rest[..end])
            })
            .collect()
    }

    #[test]
    fn both_languages_have_every_message_with_the_same_placeholders() {
        let catalogs = catalogs();
        let (Some(en), Some(id)) = (catalogs.get("en"), catalogs.get("id")) else {
            panic!("locales/en.yml and locales/id.yml: {:?}", catalogs.keys());
        };
        let only_en: Vec<_> = en.keys().filter(|k| !id.contains_key(*k)).collect();
        let only_id: Vec<_> = id.keys().filter(|k| !en.contains_key(*k)).collect();
        assert!(only_en.is_empty(), "missing from id.yml: {only_en:?}");
        assert!(only_id.is_empty(), "missing from en.yml: {only_id:?}");
        for (key, english) in en {
            assert_eq!(
                placeholders(english),
                placeholders(&id[key]),
                "{key}: the placeholders differ between en.yml and id.yml"
            );
            assert!(!id[key].trim().is_empty(), "{key}: empty in id.yml");
        }
    }

    #[test]
    fn every_command_option_and_value_has_help_in_both_languages() {
        let catalogs = catalogs();
        let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
        let keys = help_keys(&cmd);
        assert!(keys.len() > 100, "the walk found the command tree");
        for lang in ["en", "id"] {
            let missing: Vec<_> = keys
                .iter()
                .filter(|(k, _)| catalogs[lang].get(k).is_none_or(|t| t.is_empty()))
                .map(|(k, _)| k)
                .collect();
            assert!(missing.is_empty(), "locales/{lang}.yml lacks {missing:?}");
        }
        // The doc comments are the English help, so a changed doc comment
        // fails here until both catalogs say the new thing.
        for (key, doc) in &keys {
            if let Some(doc) = doc {
                assert_eq!(
                    &catalogs["en"][key], doc,
                    "{key}: en.yml differs from the doc comment; update en.yml and id.yml"
                );
            }
        }
    }

    #[test]
    fn every_command_has_one_indonesian_alias_of_its_own() {
        let root = <crate::cli::Cli as clap::CommandFactory>::command();
        let mut parents = vec![&root];
        while let Some(parent) = parents.pop() {
            // Names and aliases of one level must not clash.
            let mut names = BTreeSet::new();
            for sub in parent.get_subcommands() {
                let aliases: Vec<_> = sub.get_visible_aliases().collect();
                assert_eq!(aliases.len(), 1, "{}: {aliases:?}", sub.get_name());
                for name in [sub.get_name(), aliases[0]] {
                    assert!(names.insert(name), "{name} names two commands");
                }
                parents.push(sub);
            }
        }
    }

    #[test]
    fn indonesian_unless_english_is_asked_for() {
        let none = args(&["koperasi-sop", "status"]);
        assert_eq!(choose(&none, vars(&[])), Lang::Id);
        assert_eq!(choose(&none, vars(&[("LANG", "C")])), Lang::Id);
        assert_eq!(choose(&none, vars(&[("LANG", "id_ID.UTF-8")])), Lang::Id);
        assert_eq!(choose(&none, vars(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(
            choose(&none, vars(&[("LC_ALL", "id_ID"), ("LANG", "en_US")])),
            Lang::Id
        );
        assert_eq!(
            choose(&none, vars(&[("LC_ALL", ""), ("LANG", "en_US")])),
            Lang::En
        );
        assert_eq!(
            choose(
                &none,
                vars(&[("KOPERASI_SOP_LANG", "en"), ("LANG", "id_ID")])
            ),
            Lang::En
        );
    }

    #[test]
    fn the_flag_beats_the_environment() {
        let env = [("KOPERASI_SOP_LANG", "id"), ("LANG", "id_ID")];
        let given = args(&["koperasi-sop", "--lang", "en", "status"]);
        assert_eq!(choose(&given, vars(&env)), Lang::En);
        let given = args(&["koperasi-sop", "status", "--lang=en"]);
        assert_eq!(choose(&given, vars(&env)), Lang::En);
        let given = args(&["koperasi-sop", "--lang=id"]);
        assert_eq!(choose(&given, vars(&[("LANG", "en_US")])), Lang::Id);
        // After `--` it is not an option; a bad value is clap's to refuse.
        let given = args(&["koperasi-sop", "--", "--lang=en"]);
        assert_eq!(choose(&given, vars(&[])), Lang::Id);
        let given = args(&["koperasi-sop", "--lang=fr"]);
        assert_eq!(choose(&given, vars(&[("LANG", "en_US")])), Lang::En);
    }
}
