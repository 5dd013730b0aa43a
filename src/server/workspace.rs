//! Which settings and rules check a document: the `creeplint.toml` found upward from its
//! directory (as `creeplint check FILE` finds it), else defaults rooted at the workspace folder that
//! holds it. Each config is loaded once and kept until a config or pack file changes.

use crate::config::{absolute, Config, Overrides, Settings};
use crate::error::Error;
use crate::links::LinkIndex;
use crate::lint::{known_rules, load_packs, Linter};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The outcome of loading one config and the packs it names.
#[derive(Debug)]
pub enum Loaded {
    /// Ready to check files.
    Ready(Box<Linter>),
    /// The config or a pack is broken: every error, each naming its file and line.
    Failed(Vec<Error>),
}

/// Settings per config file, loaded on first use.
#[derive(Debug, Default)]
pub struct Workspace {
    /// The editor's workspace folders, absolute.
    folders: Vec<PathBuf>,
    /// Loaded settings by config file (or, without one, by the root they are relative to).
    loaded: HashMap<PathBuf, Arc<Loaded>>,
}

impl Workspace {
    /// A workspace of these folders.
    pub fn new(folders: Vec<PathBuf>) -> Workspace {
        Workspace {
            folders: folders.iter().map(|f| absolute(f)).collect(),
            loaded: HashMap::new(),
        }
    }

    /// Adds and removes workspace folders.
    pub fn change_folders(&mut self, added: Vec<PathBuf>, removed: &[PathBuf]) {
        self.folders.retain(|f| !removed.contains(f));
        self.folders.extend(added.iter().map(|f| absolute(f)));
        self.reload();
    }

    /// Forgets every loaded config: the next document checked loads its config and packs afresh.
    pub fn reload(&mut self) {
        self.loaded.clear();
    }

    /// The settings that check the file at `path` (`None` for a document that is not a file), and
    /// whether they were loaded just now.
    pub fn for_document(&mut self, path: Option<&Path>) -> (Arc<Loaded>, bool) {
        let dir = path.and_then(Path::parent).map(absolute);
        let config = dir.as_deref().and_then(Config::discover);
        let key = match &config {
            Some(config) => config.clone(),
            None => self.root_for(dir.as_deref()),
        };
        if let Some(loaded) = self.loaded.get(&key) {
            return (loaded.clone(), false);
        }
        let loaded = Arc::new(load(config.as_deref(), &key));
        self.loaded.insert(key, loaded.clone());
        (loaded, true)
    }

    /// Every error of every loaded config.
    pub fn errors(&self) -> impl Iterator<Item = &Error> {
        self.loaded.values().flat_map(|l| match &**l {
            Loaded::Failed(errors) => errors.as_slice(),
            Loaded::Ready(_) => &[],
        })
    }

    /// The root of default settings for a file in `dir`: the innermost workspace folder holding
    /// it, else its own directory, else the first folder or the working directory.
    fn root_for(&self, dir: Option<&Path>) -> PathBuf {
        let holding = dir.and_then(|dir| {
            self.folders
                .iter()
                .filter(|f| dir.starts_with(f))
                .max_by_key(|f| f.as_os_str().len())
        });
        holding
            .cloned()
            .or_else(|| dir.map(Path::to_path_buf))
            .or_else(|| self.folders.first().cloned())
            .unwrap_or_else(|| absolute(Path::new(".")))
    }
}

/// Loads a config file (or defaults rooted at `root`) and its packs.
fn load(config: Option<&Path>, root: &Path) -> Loaded {
    let config = match config {
        Some(path) => Config::load(path),
        None => Ok(Config::empty(root)),
    };
    let settings = match config.and_then(|c| Settings::resolve(&c, &Overrides::default())) {
        Ok(settings) => settings,
        Err(e) => return Loaded::Failed(vec![e]),
    };
    match load_packs(&settings) {
        Ok(packs) => {
            // A selector typo is refused in the editor as on the command line.
            let unknown = settings.unknown_selectors(&known_rules(&packs));
            if unknown.is_empty() {
                let mut linter = Linter::new(&packs, settings);
                // No file list, as for one file named on the command line: a message's layout
                // and partials are looked for beside it, so the editor judges its kind (and its
                // opt-out) as `creeplint check FILE` and the pre-commit hook do.
                let links = LinkIndex::new(&[], &linter.settings().root);
                linter.set_links(Arc::new(links));
                Loaded::Ready(Box::new(linter))
            } else {
                Loaded::Failed(unknown)
            }
        }
        Err(errors) => Loaded::Failed(errors),
    }
}
