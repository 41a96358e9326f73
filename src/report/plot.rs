//! Plots of a report (placeholder until the plotting module lands).

use super::Report;

/// One rendered plot file.
#[derive(Debug, Clone)]
pub struct PlotFile {
    /// File name, e.g. `phone-asa.png`.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Renders every plot of `report`.
pub fn render(_report: &Report) -> Result<Vec<PlotFile>, String> {
    Ok(vec![])
}
