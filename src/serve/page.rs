//! The page's files, compiled into the binary so that it works offline.

/// The page.
pub const INDEX: &str = include_str!("../../assets/serve/index.html");
/// Its script.
pub const SCRIPT: &str = include_str!("../../assets/serve/app.js");
/// Its style sheet.
pub const STYLE: &str = include_str!("../../assets/serve/style.css");

/// The page with its list of scenarios filled in, so that it lists them before its script runs.
pub fn index(entries: &[super::catalog::Entry]) -> String {
    use crate::report::html::escape;
    let options: String = entries
        .iter()
        .map(|e| {
            let file = escape(&e.file);
            format!("<option value=\"{file}\">{} ({file})</option>", escape(&e.name))
        })
        .collect();
    INDEX.replacen(
        "<select id=\"scenario\"></select>",
        &format!("<select id=\"scenario\">{options}</select>"),
        1,
    )
}
