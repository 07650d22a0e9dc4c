//! Runs the real binary against a temporary HOME, never the developer's own data.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

pub const NOW: &str = "2026-11-29T14:03:00+08:00";

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    pub fn data_file(&self) -> PathBuf {
        self.dir
            .path()
            .join("xdg-data/rectify/inner-mongolia-sg15.ron")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        command_in(self.dir.path(), args)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs and expects success; returns standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "rectify {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn with_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    pub fn write(&self, name: &str, content: &[u8]) -> PathBuf {
        let p = self.dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, content).unwrap();
        p
    }
}

/// [`Sandbox::command`] for the sandbox in `dir`, for a thread that does not own it.
pub fn command_in(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rectify"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.join("home"))
        .env("XDG_DATA_HOME", dir.join("xdg-data"))
        .env("XDG_CONFIG_HOME", dir.join("xdg-config"))
        .env("LC_ALL", "en_US.UTF-8")
        .env("RECTIFY_NOW", NOW)
        .stdin(Stdio::null());
    cmd
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The line and column of `rectify: FILE:LINE:COL: …` in `message`, where FILE is `file`.
pub fn place_of(message: &str, file: &Path) -> Option<(usize, usize)> {
    let named = format!("rectify: {}:", file.display());
    let rest = &message[message.find(&named)? + named.len()..];
    let mut parts = rest.splitn(3, ':');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

pub fn load(path: &Path) -> rectify::model::Progress {
    rectify::store::Store::new(path)
        .load("inner-mongolia-sg15")
        .unwrap()
        .progress
}

/// The texts of an item's notes in the progress file at `path`, oldest first.
pub fn note_texts(path: &Path, item: &str) -> Vec<String> {
    load(path)
        .item(item)
        .map(|i| i.notes.iter().map(|n| n.text.clone()).collect())
        .unwrap_or_default()
}
