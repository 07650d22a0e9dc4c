use std::path::PathBuf;

use directories::ProjectDirs;

use super::StoreError;

/// `$XDG_DATA_HOME/rectify` on Linux, the platform's equivalent elsewhere.
pub fn data_dir() -> Result<PathBuf, StoreError> {
    ProjectDirs::from("", "", "rectify")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or(StoreError::NoDataDir)
}

/// One progress file per checklist, named by its id (which validation keeps file-safe).
pub fn default_progress_path(checklist_id: &str) -> Result<PathBuf, StoreError> {
    Ok(data_dir()?.join(format!("{checklist_id}.ron")))
}
