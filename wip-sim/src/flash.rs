//! The module's flash: one stored stack configuration (4.1.4) and one
//! stored configuration per bearer (4.2.4), kept in a JSON state file when
//! the emulator has one, so that they survive a restart as on a module.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use wip_schema::Val;

use crate::SimError;

/// A stored option value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Stored {
    /// An integer option.
    Int(i64),
    /// A string option.
    Str(String),
}

impl From<&Val> for Stored {
    fn from(v: &Val) -> Self {
        match v {
            Val::Int(n) => Stored::Int(*n),
            Val::Str(s) => Stored::Str(s.clone()),
        }
    }
}

impl From<&Stored> for Val {
    fn from(v: &Stored) -> Self {
        match v {
            Stored::Int(n) => Val::Int(*n),
            Stored::Str(s) => Val::Str(s.clone()),
        }
    }
}

/// What the flash holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlashData {
    /// The stored stack configuration: option number to value (4.1.4).
    #[serde(default)]
    pub stack: Option<BTreeMap<i64, i64>>,
    /// Stored bearer configurations: bearer id to option number to value.
    #[serde(default)]
    pub bearers: BTreeMap<i64, BTreeMap<i64, Stored>>,
}

/// The flash, in memory and optionally in a file.
#[derive(Debug, Clone, Default)]
pub struct Flash {
    path: Option<PathBuf>,
    /// The contents.
    pub data: FlashData,
}

impl Flash {
    /// A flash in memory only.
    pub fn in_memory(data: FlashData) -> Self {
        Flash { path: None, data }
    }

    /// The flash of a state file; a missing file is an empty flash.
    pub fn open(path: &Path) -> Result<Self, SimError> {
        let err = |m: String| SimError::Flash {
            path: path.display().to_string(),
            message: m,
        };
        let data = match std::fs::read_to_string(path) {
            Ok(s) => serde_json::from_str(&s).map_err(|e| err(e.to_string()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FlashData::default(),
            Err(e) => return Err(err(e.to_string())),
        };
        Ok(Flash {
            path: Some(path.to_path_buf()),
            data,
        })
    }

    /// Writes the contents back to the file, if there is one; an error is
    /// the modem's 820/821 (4.1.5).
    pub fn save(&self) -> Result<(), String> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let text = serde_json::to_string_pretty(&self.data).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| e.to_string())
    }
}
