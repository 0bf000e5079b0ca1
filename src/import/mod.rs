//! Placeholder until the import parser lands.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::case::Nik;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keragaan {
    pub nik: Nik,
    pub nama: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
}

impl Keragaan {
    pub fn digest(&self) -> String {
        use sha2::Digest;
        let bytes = serde_json::to_vec(self).expect("serializes");
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
    pub fn changed_fields(&self, other: &Keragaan) -> Vec<String> {
        let mut out = Vec::new();
        if self.nama != other.nama {
            out.push("nama".into());
        }
        out
    }
}
