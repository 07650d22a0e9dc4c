//! Who is writing, so every note and change in a shared ledger says whose it is: the
//! `author` in the config file, else git's `user.name` (the name the team already uses for
//! commits), else the login name.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

/// `$XDG_CONFIG_HOME/rectify/config.ron`.
pub fn config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "rectify").map(|d| d.config_dir().join("config.ron"))
}

/// The config file: `(author: "王偉")`. Every field is optional.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename = "Config")]
pub struct Config {
    #[serde(default)]
    pub author: Option<String>,
}

impl Config {
    /// Reads the config file; a missing file is the default, a broken one an error naming
    /// the file, line and column.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let name = crate::store::shown(path);
        // Only a regular file: a FIFO put there would wait for a writer forever.
        let bytes = match crate::store::read_regular(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(ConfigError::Read(name, e)),
        };
        let text = crate::text::decode_file(&bytes)
            .map_err(|e| ConfigError::Parse(name.clone(), e.line, e.col, e.message))?;
        crate::text::ron_options().from_str(text).map_err(|e| {
            let at = e.span.start;
            ConfigError::Parse(name, at.line, at.col, e.code.to_string())
        })
    }
}

/// The config file cannot be read or is not a valid config.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}: {1}")]
    Read(String, std::io::Error),
    /// The file's name, line, column and what is wrong there.
    #[error("{0}:{1}:{2}: {3}")]
    Parse(String, usize, usize, String),
}

fn clean(name: &str) -> Option<String> {
    let name: String = name
        .chars()
        .filter(|c| !crate::text::is_unsafe(*c) && *c != '\n')
        .collect();
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

/// git's `user.name` as seen from `dir` (so a repository's own setting counts).
fn git_user(dir: &Path) -> Option<String> {
    let out = Command::new("git")
        .args(["config", "user.name"])
        .current_dir(dir)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
        .and_then(|s| clean(&s))
}

#[allow(unsafe_code)] // getpwuid: the login name when USER and LOGNAME are unset.
fn login_name() -> Option<String> {
    for var in ["USER", "LOGNAME"] {
        if let Some(name) = std::env::var(var).ok().and_then(|s| clean(&s)) {
            return Some(name);
        }
    }
    // SAFETY: getpwuid returns a pointer into static storage or null; the name is copied
    // out at once, before any other call could overwrite it.
    unsafe {
        let pw = libc::getpwuid(libc::getuid());
        if pw.is_null() || (*pw).pw_name.is_null() {
            return None;
        }
        clean(&std::ffi::CStr::from_ptr((*pw).pw_name).to_string_lossy())
    }
}

/// The author for changes made now. `dir` is where the ledger lives, for git's setting.
pub fn resolve(config: &Config, dir: &Path) -> Option<String> {
    config
        .author
        .as_deref()
        .and_then(clean)
        .or_else(|| git_user(dir))
        .or_else(login_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_file_names_the_author_and_is_validated() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("config.ron");
        assert!(
            Config::load(&p).unwrap().author.is_none(),
            "missing is fine"
        );
        std::fs::write(&p, "(author: \"王偉\")").unwrap();
        let c = Config::load(&p).unwrap();
        assert_eq!(resolve(&c, dir.path()).as_deref(), Some("王偉"));
        std::fs::write(&p, "(\n  auther: \"x\")").unwrap();
        let e = Config::load(&p).unwrap_err().to_string();
        assert!(e.contains(":2:3:") && e.contains("auther"), "{e}");
    }

    #[test]
    fn names_are_cleaned_of_controls() {
        assert_eq!(clean(" 王\u{1b}偉 \n").as_deref(), Some("王偉"));
        assert_eq!(clean("  "), None);
    }
}
