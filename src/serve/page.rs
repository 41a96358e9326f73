//! The page's files, compiled into the binary so that it works offline.

/// The page.
pub const INDEX: &str = include_str!("../../assets/serve/index.html");
/// Its script.
pub const SCRIPT: &str = include_str!("../../assets/serve/app.js");
/// Its style sheet.
pub const STYLE: &str = include_str!("../../assets/serve/style.css");
