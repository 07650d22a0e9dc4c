//! The messages of `rectify git-setup` and of the merge driver `rectify merge`, in each
//! language. Paths and commands come in already made printable.

use super::Lang;

/// Which copy of the ledger git handed the merge driver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// This clone's copy (`%A`), where the result goes.
    Ours,
    /// The copy being merged in (`%B`).
    Theirs,
    /// The two sides' common ancestor (`%O`).
    Base,
}

/// "your copy of Team Ledger.ron" / "their copy of Team Ledger.ron".
pub fn copy_of(lang: Lang, side: Side, ledger: &str) -> String {
    match (lang, side) {
        (Lang::En, Side::Ours) => format!("your copy of {ledger}"),
        (Lang::En, Side::Theirs) => format!("their copy of {ledger} (the one being merged in)"),
        (Lang::ZhHant, Side::Ours) => format!("本地的 {ledger} 副本"),
        (Lang::ZhHant, Side::Theirs) => format!("要合併進來的 {ledger} 副本"),
        (Lang::ZhHans, Side::Ours) => format!("本地的 {ledger} 副本"),
        (Lang::ZhHans, Side::Theirs) => format!("要合并进来的 {ledger} 副本"),
        (Lang::En, Side::Base) => format!("the common ancestor of {ledger}"),
        (Lang::ZhHant | Lang::ZhHans, Side::Base) => format!("{ledger} 的共同祖先版本"),
    }
}

/// The merge base cannot be read: the merge goes on without it.
pub fn base_ignored(lang: Lang, why: &str) -> String {
    match lang {
        Lang::En => format!("ignoring the merge base, which cannot be read: {why}"),
        Lang::ZhHant => format!("略過無法讀取的合併基礎版本：{why}"),
        Lang::ZhHans => format!("略过无法读取的合并基础版本：{why}"),
    }
}

/// "their copy of X, line 3, column 1: expected …".
pub fn at(lang: Lang, what: &str, line: usize, col: usize, message: &str) -> String {
    match lang {
        Lang::En => format!("{what}, line {line}, column {col}: {message}"),
        Lang::ZhHant | Lang::ZhHans => format!("{what}第{line}行第{col}列：{message}"),
    }
}

/// The two copies are ledgers of different checklists.
pub fn other_checklist(lang: Lang, ours: &str, a: &str, theirs: &str, b: &str) -> String {
    match lang {
        Lang::En => format!(
            "{ours} is a ledger of checklist {a:?} but {theirs} is one of {b:?}: they are not two copies of one ledger"
        ),
        Lang::ZhHant => format!(
            "{ours}是清單 {a:?} 的台賬，{theirs}卻是清單 {b:?} 的：不是同一本台賬的兩份副本"
        ),
        Lang::ZhHans => format!(
            "{ours}是清单 {a:?} 的台账，{theirs}却是清单 {b:?} 的：不是同一本台账的两份副本"
        ),
    }
}

/// The first line of every failed merge.
pub fn not_merged(lang: Lang, ledger: &str, why: &str) -> String {
    match lang {
        Lang::En => format!("the merge of {ledger} was NOT done: {why}"),
        Lang::ZhHant => format!("{ledger} 沒有合併：{why}"),
        Lang::ZhHans => format!("{ledger} 没有合并：{why}"),
    }
}

/// After a failed merge that git called with the ledger's name: what git and the file show.
pub fn conflicted(lang: Lang, ledger: &str) -> String {
    match lang {
        Lang::En => format!(
            "git marks {ledger} as conflicted; the file now holds both copies between conflict markers (<<<<<<< ======= >>>>>>>), so nothing is lost, and rectify will not open it until one copy is chosen."
        ),
        Lang::ZhHant => format!(
            "git 把 {ledger} 標為衝突；檔案裏現有兩份副本，以衝突標記（<<<<<<< ======= >>>>>>>）隔開，甚麼都沒有丟失，但選定一份之前 rectify 不會打開它。"
        ),
        Lang::ZhHans => format!(
            "git 把 {ledger} 标为冲突；文件里现有两份副本，以冲突标记（<<<<<<< ======= >>>>>>>）隔开，什么都没有丢失，但选定一份之前 rectify 不会打开它。"
        ),
    }
}

/// How to settle a failed merge: keep the copy that can be read (`readable`), or either.
/// `path` is quoted for the shell.
pub fn settle(lang: Lang, readable: Option<Side>, path: &str) -> String {
    let ours = format!("git checkout --ours -- {path} && git add {path}");
    let theirs = format!("git checkout --theirs -- {path} && git add {path}");
    match (lang, readable) {
        (Lang::En, Some(Side::Ours)) => format!(
            "Your copy is readable: `{ours}` keeps it, without their changes; add those again, or have their copy repaired and merge again."
        ),
        (Lang::En, Some(Side::Theirs)) => format!(
            "Their copy is readable: `{theirs}` takes it, without your changes; add those again, or repair your copy and merge again."
        ),
        (Lang::En, None | Some(Side::Base)) => format!("Keep one copy: `{ours}`, or `{theirs}`."),
        (Lang::ZhHant, Some(Side::Ours)) => format!(
            "本地的副本可以讀取：`{ours}` 保留它（不含對方的修改）；對方的修改須重新錄入，或修好對方的副本後再合併。"
        ),
        (Lang::ZhHant, Some(Side::Theirs)) => format!(
            "對方的副本可以讀取：`{theirs}` 採用它（不含本地的修改）；本地的修改須重新錄入，或修好本地的副本後再合併。"
        ),
        (Lang::ZhHant, None | Some(Side::Base)) => format!("選定一份：`{ours}`，或 `{theirs}`。"),
        (Lang::ZhHans, Some(Side::Ours)) => format!(
            "本地的副本可以读取：`{ours}` 保留它（不含对方的修改）；对方的修改须重新录入，或修好对方的副本后再合并。"
        ),
        (Lang::ZhHans, Some(Side::Theirs)) => format!(
            "对方的副本可以读取：`{theirs}` 采用它（不含本地的修改）；本地的修改须重新录入，或修好本地的副本后再合并。"
        ),
        (Lang::ZhHans, None | Some(Side::Base)) => format!("选定一份：`{ours}`，或 `{theirs}`。"),
    }
}

/// A failed merge of the old three-argument form, run by git: the markers are in the file.
pub fn markers_in_ledger(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "git marks the ledger it was merging as conflicted (`git status` names it); the file now holds both copies between conflict markers, so nothing is lost."
        }
        Lang::ZhHant => {
            "git 把正在合併的台賬標為衝突（`git status` 會列出它）；檔案裏現有兩份副本，以衝突標記隔開，甚麼都沒有丟失。"
        }
        Lang::ZhHans => {
            "git 把正在合并的台账标为冲突（`git status` 会列出它）；文件里现有两份副本，以冲突标记隔开，什么都没有丢失。"
        }
    }
}

/// The conflict markers could not be written into OURS.
pub fn markers_not_written(lang: Lang, error: &str) -> String {
    match lang {
        Lang::En => format!("the conflict markers could not be written either ({error})"),
        Lang::ZhHant => format!("衝突標記也未能寫入（{error}）"),
        Lang::ZhHans => format!("冲突标记也未能写入（{error}）"),
    }
}

/// A failed merge of the old three-argument form: OURS was not touched.
pub fn left_as_it_was(lang: Lang, ours: &str) -> String {
    match lang {
        Lang::En => format!("{ours} was left as it was."),
        Lang::ZhHant => format!("{ours} 保持原樣。"),
        Lang::ZhHans => format!("{ours} 保持原样。"),
    }
}

/// A driver registered before git was asked for the ledger's name (`%P`).
pub fn old_driver(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "Run `rectify git-setup` again in this clone, so that git tells the merge driver the ledger's name."
        }
        Lang::ZhHant => {
            "請在這個複本裏再執行一次 `rectify git-setup`，讓 git 把台賬的檔名告訴合併程式。"
        }
        Lang::ZhHans => {
            "请在这个克隆里再执行一次 `rectify git-setup`，让 git 把台账的文件名告诉合并程序。"
        }
    }
}

/// `git-setup` added a line to .gitattributes or .gitignore.
pub fn added(lang: Lang, line: &str, file: &str) -> String {
    match lang {
        Lang::En => format!("added `{line}` to {file}"),
        Lang::ZhHant | Lang::ZhHans => format!("已在 {file} 加入 `{line}`"),
    }
}

pub fn commit_hint(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "Commit .gitattributes and .gitignore; every clone runs `rectify git-setup` once (git config is not shared)."
        }
        Lang::ZhHant => {
            "請提交 .gitattributes 和 .gitignore；每個複本都要執行一次 `rectify git-setup`（git config 不會共享）。"
        }
        Lang::ZhHans => {
            "请提交 .gitattributes 和 .gitignore；每个克隆都要执行一次 `rectify git-setup`（git config 不会共享）。"
        }
    }
}

/// The driver calls this program by its full path `me`, because `rectify` on PATH is not
/// this program: `found` is what PATH finds instead, if anything.
pub fn by_full_path(lang: Lang, me: &str, found: Option<&str>) -> String {
    match (lang, found) {
        (Lang::En, None) => format!(
            "`rectify` is not on PATH, so git will run this program by its full path, {me}. If that file is moved or deleted (`cargo clean`, a build elsewhere), merging the ledger fails. Install rectify on PATH (`cargo install --path .` in its source folder, or copy the program to a folder on PATH) and run `rectify git-setup` again."
        ),
        (Lang::En, Some(found)) => format!(
            "`rectify` on PATH is {found}, a different program from this one, so git will run this one by its full path, {me}. If that file is moved or deleted (`cargo clean`, a build elsewhere), merging the ledger fails. To have git run the one on PATH, run `rectify git-setup` with it; to put this one there, `cargo install --path .` in its source folder."
        ),
        (Lang::ZhHant, None) => format!(
            "PATH 上沒有 `rectify`，所以 git 會以完整路徑 {me} 執行本程式。該檔案一旦移走或刪除（`cargo clean`、在別處重新建置），台賬就無法合併。請把 rectify 安裝到 PATH 上（在原始碼資料夾執行 `cargo install --path .`，或把程式複製到 PATH 上的資料夾），再執行一次 `rectify git-setup`。"
        ),
        (Lang::ZhHant, Some(found)) => format!(
            "PATH 上的 `rectify` 是 {found}，與本程式不同，所以 git 會以完整路徑 {me} 執行本程式。該檔案一旦移走或刪除（`cargo clean`、在別處重新建置），台賬就無法合併。要讓 git 執行 PATH 上的那個，請用它執行 `rectify git-setup`；要把本程式裝到 PATH 上，請在原始碼資料夾執行 `cargo install --path .`。"
        ),
        (Lang::ZhHans, None) => format!(
            "PATH 上没有 `rectify`，所以 git 会以完整路径 {me} 执行本程序。该文件一旦移走或删除（`cargo clean`、在别处重新构建），台账就无法合并。请把 rectify 安装到 PATH 上（在源代码文件夹执行 `cargo install --path .`，或把程序复制到 PATH 上的文件夹），再执行一次 `rectify git-setup`。"
        ),
        (Lang::ZhHans, Some(found)) => format!(
            "PATH 上的 `rectify` 是 {found}，与本程序不同，所以 git 会以完整路径 {me} 执行本程序。该文件一旦移走或删除（`cargo clean`、在别处重新构建），台账就无法合并。要让 git 执行 PATH 上的那个，请用它执行 `rectify git-setup`；要把本程序装到 PATH 上，请在源代码文件夹执行 `cargo install --path .`。"
        ),
    }
}

/// `--file` names a ledger outside any git work tree.
pub fn not_in_repo(lang: Lang, file: &str) -> String {
    match lang {
        Lang::En => format!(
            "{file} is not in a git repository; put the ledger in your shared repository and pass --file"
        ),
        Lang::ZhHant => {
            format!("{file} 不在 git 儲存庫裏；請把台賬放進共享的儲存庫，並以 --file 指明")
        }
        Lang::ZhHans => format!("{file} 不在 git 仓库里；请把台账放进共享的仓库，并以 --file 指明"),
    }
}

/// No `--file`, and the current folder is not in a git work tree.
pub fn not_in_work_tree(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "this folder is not in a git work tree: run `rectify git-setup` inside your clone of the shared repository, or name the ledger with --file PATH"
        }
        Lang::ZhHant => {
            "目前的資料夾不在 git 工作目錄裏：請在共享儲存庫的複本裏執行 `rectify git-setup`，或以 --file PATH 指明台賬"
        }
        Lang::ZhHans => {
            "当前文件夹不在 git 工作目录里：请在共享仓库的克隆里执行 `rectify git-setup`，或以 --file PATH 指明台账"
        }
    }
}

/// No `--file`, and no ledger of this checklist in the work tree. `others` lists ledgers of
/// other checklists found there, as "path (checklist)".
pub fn no_ledger(lang: Lang, root: &str, checklist: &str, others: &[String]) -> String {
    let others = others.join(", ");
    let (mut s, found) = match lang {
        Lang::En => (
            format!(
                "no ledger of checklist {checklist:?} in {root} (looked for .ron files that start with `Progress(` and name that checklist). Name the ledger to set up with --file PATH; it may not exist yet, as long as its folder is in the repository."
            ),
            format!(
                " Ledgers of other checklists found: {others}; pass --checklist with their checklist file."
            ),
        ),
        Lang::ZhHant => (
            format!(
                "{root} 裏沒有清單 {checklist:?} 的台賬（找的是以 `Progress(` 開頭並寫明此清單的 .ron 檔案）。請以 --file PATH 指明要設定的台賬；檔案可以尚未存在，只要它的資料夾在儲存庫裏。"
            ),
            format!("找到其他清單的台賬：{others}；請以 --checklist 指明它們的清單檔案。"),
        ),
        Lang::ZhHans => (
            format!(
                "{root} 里没有清单 {checklist:?} 的台账（找的是以 `Progress(` 开头并写明此清单的 .ron 文件）。请以 --file PATH 指明要设置的台账；文件可以尚未存在，只要它的文件夹在仓库里。"
            ),
            format!("找到其他清单的台账：{others}；请以 --checklist 指明它们的清单文件。"),
        ),
    };
    if !others.is_empty() {
        s.push_str(&found);
    }
    s
}

/// The folder of the ledger named with `--file` does not exist.
pub fn dir_missing(lang: Lang, dir: &str) -> String {
    match lang {
        Lang::En => format!(
            "{dir} does not exist yet: create it in your clone of the shared repository, or pass --file with a ledger there"
        ),
        Lang::ZhHant => {
            format!("{dir} 尚不存在：請在共享儲存庫的複本裏建立它，或以 --file 指明那裏的台賬")
        }
        Lang::ZhHans => {
            format!("{dir} 尚不存在：请在共享仓库的克隆里建立它，或以 --file 指明那里的台账")
        }
    }
}

pub fn outside(lang: Lang, file: &str, root: &str) -> String {
    match lang {
        Lang::En => format!("{file} is outside {root}"),
        Lang::ZhHant => format!("{file} 不在 {root} 之內"),
        Lang::ZhHans => format!("{file} 不在 {root} 之内"),
    }
}

pub fn not_utf8(lang: Lang, file: &str) -> String {
    match lang {
        Lang::En => format!(
            "{file}: git-setup needs a file name in UTF-8; rename the ledger and run it again"
        ),
        Lang::ZhHant => format!("{file}：git-setup 需要 UTF-8 的檔名；請把台賬改名後再執行"),
        Lang::ZhHans => format!("{file}：git-setup 需要 UTF-8 的文件名；请把台账改名后再执行"),
    }
}

/// After the setup, git still gives the ledger another merge attribute (a later line, a
/// .gitattributes further down, or .git/info/attributes overrides ours).
pub fn attribute_overridden(lang: Lang, file: &str, value: &str) -> String {
    match lang {
        Lang::En => format!(
            "git says the merge attribute of {file} is {value:?}, not \"rectify\": another line of a .gitattributes file (a later one, one in its folder, or .git/info/attributes) overrides it; remove that line and run `rectify git-setup` again"
        ),
        Lang::ZhHant => format!(
            "git 說 {file} 的 merge 屬性是 {value:?}，不是 \"rectify\"：另有 .gitattributes 的一行（較後的一行、它所在資料夾的，或 .git/info/attributes）蓋過了它；請刪去那一行，再執行一次 `rectify git-setup`"
        ),
        Lang::ZhHans => format!(
            "git 说 {file} 的 merge 属性是 {value:?}，不是 \"rectify\"：另有 .gitattributes 的一行（较后的一行、它所在文件夹的，或 .git/info/attributes）覆盖了它；请删去那一行，再执行一次 `rectify git-setup`"
        ),
    }
}

pub fn cannot_run_git(lang: Lang, error: &str) -> String {
    match lang {
        Lang::En => format!("cannot run git: {error}"),
        Lang::ZhHant => format!("無法執行 git：{error}"),
        Lang::ZhHans => format!("无法执行 git：{error}"),
    }
}

pub fn git_failed(lang: Lang, command: &str, error: &str) -> String {
    match lang {
        Lang::En => format!("git {command} failed: {error}"),
        Lang::ZhHant => format!("git {command} 失敗：{error}"),
        Lang::ZhHans => format!("git {command} 失败：{error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_names_the_ledger_and_the_commands_to_run() {
        for lang in Lang::ALL {
            let why = at(lang, &copy_of(lang, Side::Theirs, "T L.ron"), 3, 1, "bad");
            assert!(why.contains("T L.ron") && why.contains('3'), "{why}");
            assert!(not_merged(lang, "T L.ron", &why).starts_with(match lang {
                Lang::En => "the merge of T L.ron was NOT done",
                _ => "T L.ron ",
            }));
            assert!(conflicted(lang, "T L.ron").contains("<<<<<<<"));
            for side in [Some(Side::Ours), Some(Side::Theirs), None] {
                assert!(settle(lang, side, "'T L.ron'").contains("git add 'T L.ron'"));
            }
            for found in [None, Some("/usr/bin/rectify")] {
                let w = by_full_path(lang, "/b/rectify", found);
                assert!(w.contains("/b/rectify") && w.contains("cargo install --path ."));
                assert!(found.is_none_or(|f| w.contains(f)));
            }
            assert!(no_ledger(lang, "/r", "x", &["o.ron (\"y\")".into()]).contains("--file"));
            assert!(not_in_work_tree(lang).contains("--file"));
            assert!(old_driver(lang).contains("rectify git-setup"));
        }
    }
}
