//! The settings file and the effective settings. Every command-line setting can come
//! from one TOML file (`--config FILE` or `MIMAMORI_CONFIG`) under the flag's own name
//! (`smtp-host = "relay.example.jp"`). Precedence: flag > environment variable > file >
//! built-in default. The file's values become the command's defaults before clap reads
//! the command line, so one parser checks every source alike; an unknown key, a value of
//! the wrong type or a value the flag would refuse stops start-up with the key's name.
//! `--print-config` shows the effective settings, each with where it came from, with
//! secrets masked; its output is itself a valid settings file.

use clap::parser::ValueSource;
use clap::{ArgAction, ArgMatches, Command, CommandFactory, FromArgMatches};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Flags that are not settings.
const NOT_SETTINGS: &[&str] = &["config", "print-config", "help", "version"];

/// The subcommands that take the server's settings.
const SERVING: &[&str] = &["serve", "demo"];

/// The parsed command line and what the settings file gave.
pub struct Parsed {
    matches: ArgMatches,
    command: Command,
    file: Option<PathBuf>,
    file_keys: Vec<String>,
}

/// Parses `argv` as `T` with the settings file applied. Without a subcommand, `serve`
/// is meant. Errors are the message to print (clap's own errors exit as clap does).
pub fn parse<T: CommandFactory + FromArgMatches>(argv: Vec<OsString>) -> Result<(T, Parsed), String> {
    let file = config_path(&argv);
    let mut command = T::command();
    let mut file_keys = Vec::new();
    if let Some(path) = &file {
        (command, file_keys) = apply_file(command, path)?;
    }
    let mut matches = command.clone().get_matches_from(argv.clone());
    if matches.subcommand_name().is_none() {
        let mut with_serve = argv;
        with_serve.push("serve".into());
        matches = command.clone().get_matches_from(with_serve);
    }
    let parsed = T::from_arg_matches(&matches).map_err(|e| e.to_string())?;
    Ok((parsed, Parsed { matches, command, file, file_keys }))
}

/// `--config FILE`, `--config=FILE` or `MIMAMORI_CONFIG`.
fn config_path(argv: &[OsString]) -> Option<PathBuf> {
    let mut it = argv.iter().skip(1);
    while let Some(a) = it.next() {
        let s = a.to_string_lossy();
        if s == "--" {
            break;
        }
        if s == "--config" {
            return it.next().map(PathBuf::from);
        }
        if let Some(p) = s.strip_prefix("--config=") {
            return Some(PathBuf::from(p));
        }
    }
    std::env::var_os("MIMAMORI_CONFIG").filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Where a setting lives: the top level (global flags) or the serving subcommands.
fn find_arg<'a>(command: &'a Command, key: &str) -> Option<(bool, &'a clap::Arg)> {
    if NOT_SETTINGS.contains(&key) {
        return None;
    }
    if let Some(a) = command.get_arguments().find(|a| a.get_long() == Some(key)) {
        return Some((true, a));
    }
    let serve = command.find_subcommand(SERVING[0])?;
    serve.get_arguments().find(|a| a.get_long() == Some(key)).map(|a| (false, a))
}

/// Reads the file and makes its values the command's defaults; returns the keys set.
fn apply_file(mut command: Command, path: &Path) -> Result<(Command, Vec<String>), String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| format!("settings file {shown}: cannot be read ({})", e.kind()))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map(|s| text[..s.start].lines().count().max(1));
        format!("settings file {shown}: not valid TOML{}: {}", line.map(|l| format!(" (line {l})")).unwrap_or_default(), e.message().trim())
    })?;
    let mut keys = Vec::new();
    for (key, value) in &table {
        let Some((top, arg)) = find_arg(&command, key) else {
            let hint = match key.as_str() {
                "smtp-password" => ": the password comes from MIMAMORI_SMTP_PASSWORD or smtp-password-file, never from this file",
                "metrics-token" => ": the token comes from MIMAMORI_METRICS_TOKEN only",
                _ => " (the keys are the long flag names, e.g. smtp-host; see --help)",
            };
            return Err(format!("settings file {shown}: unknown key `{key}`{hint}"));
        };
        let text = value_text(arg, value).map_err(|why| format!("settings file {shown}: key `{key}`: {why}"))?;
        check(arg, &text).map_err(|why| format!("settings file {shown}: key `{key}`: {why}"))?;
        let id = arg.get_id().clone();
        command = if top {
            command.mut_arg(id, |a| a.default_value(text))
        } else {
            SERVING.iter().fold(command, |c, sub| c.mut_subcommand(sub, |s| s.mut_arg(id.clone(), |a| a.default_value(text.clone()))))
        };
        keys.push(key.clone());
    }
    Ok((command, keys))
}

/// A TOML value as the flag's text: booleans for switches, arrays for list flags,
/// strings and numbers for the rest.
fn value_text(arg: &clap::Arg, value: &toml::Value) -> Result<String, String> {
    let switch = matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::SetFalse);
    match value {
        toml::Value::Boolean(b) if switch => Ok(b.to_string()),
        _ if switch => Err(format!("must be true or false, not {}", value.type_str())),
        toml::Value::String(s) => Ok(s.clone()),
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::Float(f) => Ok(f.to_string()),
        toml::Value::Array(items) if arg.get_value_delimiter().is_some() => items
            .iter()
            .map(|v| match v {
                toml::Value::String(s) => Ok(s.clone()),
                toml::Value::Integer(i) => Ok(i.to_string()),
                other => Err(format!("list items must be strings, not {}", other.type_str())),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join(",")),
        other => Err(format!("must be a string or a number, not {}", other.type_str())),
    }
}

/// Runs the flag's own parser on the value (without its environment variable).
fn check(arg: &clap::Arg, text: &str) -> Result<(), String> {
    let switch = matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::SetFalse);
    if switch {
        return Ok(());
    }
    let probe = arg.clone().env(None::<&str>).default_value(None::<&str>).required(false).global(false);
    let long = arg.get_long().unwrap_or_default();
    Command::new("settings")
        .no_binary_name(true)
        .arg(probe)
        .try_get_matches_from([format!("--{long}={text}")])
        .map(|_| ())
        .map_err(|e| e.to_string().lines().next().unwrap_or_default().trim_start_matches("error: ").to_owned())
}

impl Parsed {
    /// The settings file read, if any.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The effective settings as TOML, each with its source, secrets masked; `secrets`
    /// lists the settings read only from the environment or files (name, whether set).
    pub fn effective(&self, secrets: &[(&str, bool)]) -> String {
        let mut out = String::from("# effective settings (flag > environment > file > default)\n");
        if let Some(f) = &self.file {
            out.push_str(&format!("# settings file: {}\n", f.display()));
        }
        self.lines(&self.command, &self.matches, &mut out);
        // Only the serving commands' settings: another command's arguments are a case's
        // or an admin's particulars (names, phone numbers, addresses), never shown.
        if let Some((name, sub)) = self.matches.subcommand()
            && SERVING.contains(&name)
            && let Some(cmd) = self.command.find_subcommand(name)
        {
            self.lines(cmd, sub, &mut out);
        }
        for (name, set) in secrets {
            out.push_str(&format!("# {name}: {}\n", if *set { "set (not shown)" } else { "not set" }));
        }
        out
    }

    fn lines(&self, command: &Command, matches: &ArgMatches, out: &mut String) {
        for arg in command.get_arguments() {
            let Some(key) = arg.get_long() else { continue };
            if NOT_SETTINGS.contains(&key) || arg.is_global_set() && !std::ptr::eq(command, &self.command) {
                continue;
            }
            let id = arg.get_id().as_str();
            let source = match matches.value_source(id) {
                Some(ValueSource::CommandLine) => "flag",
                Some(ValueSource::EnvVariable) => "environment",
                Some(ValueSource::DefaultValue) if self.file_keys.iter().any(|k| k == key) => "file",
                Some(ValueSource::DefaultValue) => "default",
                _ => "unset",
            };
            let values: Vec<String> = matches.get_raw(id).map(|v| v.map(|s| s.to_string_lossy().into_owned()).collect()).unwrap_or_default();
            let switch = matches!(arg.get_action(), ArgAction::SetTrue | ArgAction::SetFalse);
            let shown = if switch {
                matches.get_flag(id).to_string()
            } else if values.is_empty() {
                out.push_str(&format!("# {key} is not set\n"));
                continue;
            } else {
                let joined = values.join(",");
                let masked = if key == "database-url" { mask_url_password(&joined) } else { joined };
                toml::Value::String(masked).to_string()
            };
            out.push_str(&format!("{key} = {shown}  # {source}\n"));
        }
    }
}

/// `scheme://user:password@host…` with the password replaced by `***`.
pub fn mask_url_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((userinfo, host)) = rest.rsplit_once('@') else { return url.to_owned() };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_urls_are_masked() {
        assert_eq!(mask_url_password("postgres://app:s3cr@t@db:5432/m?sslmode=require"), "postgres://app:***@db:5432/m?sslmode=require");
        assert_eq!(mask_url_password("postgres://app@db/m"), "postgres://app@db/m");
        assert_eq!(mask_url_password("./mimamori.db"), "./mimamori.db");
    }
}
