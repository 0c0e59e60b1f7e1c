import CCmark
import Foundation

/// Markdown to HTML with cmark. Safe by default: raw HTML and `javascript:` links are dropped,
/// so text from the record cannot inject markup.
public enum Markdown {
    public static func html(_ markdown: String) -> String {
        let length = markdown.utf8.count
        guard let out = cmark_markdown_to_html(markdown, length, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(out) }
        return String(cString: out)
    }
}
