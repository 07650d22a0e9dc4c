//! What the full-screen ledger and every command work on: the checklist, the store of its
//! progress, the language, the time and who is writing.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};

use crate::author;
use crate::error::CliError;
use crate::i18n::Lang;
use crate::model::checklist::ChecklistSource;
use crate::model::progress::Who;
use crate::model::{Checklist, ChecklistError, Stamp};
use crate::store::{self, Store};

/// What every command works on.
pub struct Context {
    pub checklist: Checklist,
    pub checklist_source: ChecklistSource,
    pub store: Store,
    pub lang: Lang,
    pub now: Stamp,
    /// Where the author's name comes from; it is looked up only when first needed, since
    /// asking git costs a process start.
    pub author_source: (author::Config, PathBuf),
    author: OnceCell<Option<String>>,
}

impl Context {
    /// The context of the options every command takes: `--file`, `--checklist`, `--lang`.
    pub fn new(
        file: Option<&Path>,
        checklist: Option<&Path>,
        lang: Option<Lang>,
        now: Stamp,
    ) -> Result<Context, CliError> {
        let (checklist, checklist_source) = match checklist {
            Some(path) => (
                load_checklist(path)?,
                ChecklistSource::File(path.to_path_buf()),
            ),
            None => (Checklist::embedded(), ChecklistSource::Embedded),
        };
        let path = match file {
            Some(p) => p.to_path_buf(),
            None => store::default_progress_path(&checklist.id)?,
        };
        let config = match author::config_path() {
            Some(p) => author::Config::load(&p)?,
            None => author::Config::default(),
        };
        let store = Store::new(path);
        let dir = store
            .path()
            .parent()
            .filter(|d| d.is_dir())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Ok(Context {
            checklist,
            checklist_source,
            author_source: (config, dir),
            author: OnceCell::new(),
            store,
            lang: lang.unwrap_or_else(Lang::from_system),
            now,
        })
    }

    /// The stamp of a change made now by this user.
    pub fn who(&self) -> Who {
        Who::new(self.now, self.author())
    }

    /// Who is writing (config, git, login), recorded on every change.
    pub fn author(&self) -> Option<&str> {
        self.author
            .get_or_init(|| author::resolve(&self.author_source.0, &self.author_source.1))
            .as_deref()
    }
}

/// Reads a user's checklist file.
fn load_checklist(path: &Path) -> Result<Checklist, ChecklistError> {
    let name = path.display().to_string();
    // Only a regular file: a FIFO would wait for a writer forever.
    let bytes = store::read_regular(path).map_err(|e| ChecklistError {
        file: name.clone(),
        line: 1,
        col: 1,
        message: format!("cannot read the checklist: {e}"),
    })?;
    Checklist::parse_bytes(&bytes, &name)
}
