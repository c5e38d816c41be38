//! The chat subset of Markdown, rendered once when a message is sent and stored beside its
//! source (`messages.body_html`).
//!
//! What renders: emphasis, strong, strikethrough, inline code, fenced and indented code
//! blocks, block quotes, lists, links, autolinks (`<https://…>`) and bare `http(s)://`,
//! `www.` and e-mail addresses; a newline is a line break. What does not: raw HTML (shown as
//! the text it is), headings (a `#` line is a line that starts with `#`, not shouting),
//! rules, tables and images (an image becomes a link to it: no remote images load in
//! anyone's browser).
//!
//! Two layers. pulldown-cmark parses, and [`to_html`] writes only the tags above, escaping
//! every piece of text and attribute itself; then ammonia parses that HTML again and keeps
//! only an allow-list of tags, attributes and link schemes, so a mistake in the first layer
//! still cannot reach a browser. Nesting is capped (a thousand `>` render as a few quotes).

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use std::sync::LazyLock;

/// The deepest nesting of quotes, lists and inline formatting that is shown as such; deeper
/// levels show their text without the extra levels.
const MAX_DEPTH: usize = 8;

/// The sanitiser: the allow-list `api::messages::Message::html` documents.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::empty();
    builder
        .add_tags([
            "p",
            "br",
            "em",
            "strong",
            "del",
            "code",
            "pre",
            "blockquote",
            "ul",
            "ol",
            "li",
            "a",
        ])
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes("ol", ["start"])
        .add_url_schemes(["http", "https", "mailto"])
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .set_tag_attribute_value("a", "target", "_blank");
    builder
});

/// `source` (a checked message body) as sanitised HTML.
pub fn render(source: &str) -> String {
    SANITISER.clean(&to_html(source)).to_string()
}

/// Text that is not Markdown (messages sent before formatting existed) as the same kind
/// of HTML: one paragraph, its line breaks and bare addresses kept.
pub fn render_plain(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + 16);
    html.push_str("<p>");
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            html.push_str("<br>\n");
        }
        linkify(line, &mut html);
    }
    html.push_str("</p>\n");
    SANITISER.clean(&html).to_string()
}

/// The first layer: Markdown to HTML with only the chat subset's tags.
fn to_html(source: &str) -> String {
    let mut w = Writer {
        out: String::with_capacity(source.len() + source.len() / 2 + 16),
        text: String::new(),
        open: Vec::new(),
        depth: 0,
        in_link: 0,
        in_code_block: false,
        html_block: None,
        underline: None,
        empty_link: None,
    };
    let parser = Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH).into_offset_iter();
    for (event, range) in parser {
        match event {
            Event::Text(text) => match &mut w.html_block {
                Some(block) => block.push_str(&text),
                None => w.text.push_str(&text),
            },
            // HTML is text here, exactly as typed.
            Event::InlineHtml(html) => w.text.push_str(&html),
            Event::Html(html) => match &mut w.html_block {
                Some(block) => block.push_str(&html),
                None => w.text.push_str(&html),
            },
            // Unused extensions, should they ever be turned on: their text.
            Event::InlineMath(text) | Event::DisplayMath(text) | Event::FootnoteReference(text) => {
                w.text.push_str(&text)
            }
            Event::Code(code) => {
                w.flush();
                w.out.push_str("<code>");
                escape(&code, &mut w.out);
                w.out.push_str("</code>");
            }
            Event::SoftBreak | Event::HardBreak => {
                w.flush();
                if w.in_code_block {
                    w.out.push('\n');
                } else {
                    w.out.push_str("<br>\n");
                }
            }
            // A rule is the line that was typed.
            Event::Rule => {
                w.flush();
                w.out.push_str("<p>");
                escape(source[range].trim(), &mut w.out);
                w.out.push_str("</p>\n");
            }
            Event::TaskListMarker(done) => w.text.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Start(tag) => {
                w.flush();
                w.start(tag, &source[range]);
            }
            Event::End(tag) => {
                w.flush();
                w.end(tag);
            }
        }
    }
    w.flush();
    w.out
}

struct Writer {
    out: String,
    /// Text not written yet: consecutive text events are linkified as one.
    text: String,
    /// What each open tag closes with ("" when it was over the depth cap).
    open: Vec<&'static str>,
    /// Nesting of quotes, lists and inline formatting written so far.
    depth: usize,
    in_link: usize,
    in_code_block: bool,
    /// The text of an HTML block being read.
    html_block: Option<String>,
    /// The underline of a setext heading, written after its text.
    underline: Option<String>,
    /// Where the open link's text starts, and its address (shown if it has no text).
    empty_link: Option<(usize, String)>,
}

impl Writer {
    fn start(&mut self, tag: Tag<'_>, source: &str) {
        let close = match tag {
            Tag::Paragraph => self.block("<p>", "</p>\n"),
            Tag::Heading { level, .. } => {
                self.out.push_str("<p>");
                if source.trim_start().starts_with('#') {
                    self.out.push_str(&"#".repeat(level as usize));
                    self.out.push(' ');
                } else {
                    self.underline = source
                        .trim_end()
                        .lines()
                        .last()
                        .map(|line| line.trim().to_owned());
                }
                "</p>\n"
            }
            Tag::BlockQuote(_) => self.nested("<blockquote>\n", "</blockquote>\n"),
            Tag::CodeBlock(_) => {
                self.in_code_block = true;
                self.block("<pre><code>", "</code></pre>\n")
            }
            Tag::HtmlBlock => {
                self.html_block = Some(String::new());
                ""
            }
            Tag::List(Some(first)) if first != 1 => {
                let open = format!("<ol start=\"{first}\">\n");
                self.nested(&open, "</ol>\n")
            }
            Tag::List(Some(_)) => self.nested("<ol>\n", "</ol>\n"),
            Tag::List(None) => self.nested("<ul>\n", "</ul>\n"),
            Tag::Item => self.nested("<li>", "</li>\n"),
            Tag::Emphasis => self.nested("<em>", "</em>"),
            Tag::Strong => self.nested("<strong>", "</strong>"),
            Tag::Strikethrough => self.nested("<del>", "</del>"),
            Tag::Link {
                link_type,
                dest_url,
                ..
            }
            | Tag::Image {
                link_type,
                dest_url,
                ..
            } if self.in_link == 0 => {
                self.in_link += 1;
                let mut href = dest_url.trim().to_owned();
                if link_type == LinkType::Email && !href.starts_with("mailto:") {
                    href.insert_str(0, "mailto:");
                }
                // Only web and mail links are links; any other address (relative, script,
                // data) leaves the text alone. The sanitiser checks again.
                let lower = href.get(..8).unwrap_or(&href).to_ascii_lowercase();
                let close = if ["http://", "https://", "mailto:"]
                    .iter()
                    .any(|scheme| lower.starts_with(scheme))
                {
                    self.out.push_str("<a href=\"");
                    escape(&href, &mut self.out);
                    self.out.push_str("\">");
                    "</a>"
                } else {
                    ""
                };
                // A link without text shows its address.
                self.open.push(close);
                self.empty_link = Some((self.out.len(), dest_url.into_string()));
                return;
            }
            // A link inside a link (an image in a link's text): its text only.
            Tag::Link { .. } | Tag::Image { .. } => {
                self.in_link += 1;
                ""
            }
            // Tables, footnotes and the like are not enabled; their text shows.
            _ => "",
        };
        self.open.push(close);
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => {
                if let Some(underline) = self.underline.take() {
                    self.out.push_str("<br>\n");
                    escape(&underline, &mut self.out);
                }
            }
            TagEnd::CodeBlock => self.in_code_block = false,
            TagEnd::HtmlBlock => {
                if let Some(block) = self.html_block.take() {
                    self.out.push_str("<p>");
                    escape_lines(block.trim_end(), &mut self.out);
                    self.out.push_str("</p>\n");
                }
            }
            TagEnd::Link | TagEnd::Image => {
                self.in_link = self.in_link.saturating_sub(1);
                if let Some((at, url)) = self.empty_link.take()
                    && self.in_link == 0
                    && self.out.len() == at
                {
                    escape(&url, &mut self.out);
                }
            }
            _ => {}
        }
        let close = self.open.pop().unwrap_or_default();
        if matches!(
            tag,
            TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Item
                | TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
        ) && !close.is_empty()
        {
            self.depth -= 1;
        }
        self.out.push_str(close);
    }

    /// A block that cannot contain itself (paragraph, code): always written.
    fn block(&mut self, open: &str, close: &'static str) -> &'static str {
        self.out.push_str(open);
        close
    }

    /// A tag that can nest: written up to `MAX_DEPTH` deep.
    fn nested(&mut self, open: &str, close: &'static str) -> &'static str {
        if self.depth >= MAX_DEPTH {
            return "";
        }
        self.depth += 1;
        self.out.push_str(open);
        close
    }

    /// Writes the waiting text: escaped, with bare addresses made links (not inside a link
    /// or code).
    fn flush(&mut self) {
        if self.text.is_empty() {
            return;
        }
        let text = std::mem::take(&mut self.text);
        if self.in_code_block {
            escape(&text, &mut self.out);
        } else if self.in_link > 0 {
            escape_lines(&text, &mut self.out);
        } else {
            linkify(&text, &mut self.out);
        }
        self.text = text;
        self.text.clear();
    }
}

/// Text with its bare `http(s)://`, `www.` and e-mail addresses as links.
fn linkify(text: &str, out: &mut String) {
    static FINDER: LazyLock<linkify::LinkFinder> = LazyLock::new(|| {
        let mut finder = linkify::LinkFinder::new();
        finder.url_must_have_scheme(false);
        finder
    });
    for span in FINDER.spans(text) {
        let s = span.as_str();
        let href = match span.kind() {
            Some(linkify::LinkKind::Url) => {
                let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
                if lower.starts_with("http://") || lower.starts_with("https://") {
                    Some(String::new())
                } else if lower.starts_with("www.") {
                    Some("https://".to_owned())
                } else {
                    // `example.com` or `file.txt`: too often not meant as a link.
                    None
                }
            }
            Some(linkify::LinkKind::Email) => Some("mailto:".to_owned()),
            _ => None,
        };
        match href {
            Some(prefix) => {
                out.push_str("<a href=\"");
                escape(&prefix, out);
                escape(s, out);
                out.push_str("\">");
                escape(s, out);
                out.push_str("</a>");
            }
            None => escape_lines(s, out),
        }
    }
}

/// Escapes text and attribute values alike.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Escapes text whose line breaks are breaks.
fn escape_lines(text: &str, out: &mut String) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push_str("<br>\n");
        }
        escape(line, out);
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    const A: &str = "target=\"_blank\" rel=\"noopener noreferrer nofollow\"";

    #[test]
    fn a_newline_is_a_line_break_and_html_is_text() {
        assert_eq!(render("a\nb"), "<p>a<br>\nb</p>\n");
        assert_eq!(
            render("<b>x</b> & <i>y"),
            "<p>&lt;b&gt;x&lt;/b&gt; &amp; &lt;i&gt;y</p>\n"
        );
        assert_eq!(
            render("<div>\nblock\n</div>"),
            "<p>&lt;div&gt;<br>\nblock<br>\n&lt;/div&gt;</p>\n"
        );
    }

    #[test]
    fn links_autolinks_and_bare_addresses() {
        assert_eq!(
            render("[tea](https://tea.example/a_b)"),
            format!("<p><a href=\"https://tea.example/a_b\" {A}>tea</a></p>\n")
        );
        assert_eq!(
            render("see https://tea.example/a_b_c."),
            format!(
                "<p>see <a href=\"https://tea.example/a_b_c\" {A}>https://tea.example/a_b_c</a>.</p>\n"
            )
        );
        assert_eq!(
            render("www.tea.example"),
            format!("<p><a href=\"https://www.tea.example\" {A}>www.tea.example</a></p>\n")
        );
        // Not every dotted word is an address.
        assert_eq!(
            render("main.rs and tea.example"),
            "<p>main.rs and tea.example</p>\n"
        );
        // No links inside code; a link with no text shows its address.
        assert_eq!(
            render("`https://tea.example`"),
            "<p><code>https://tea.example</code></p>\n"
        );
        assert_eq!(
            render("[](https://tea.example)"),
            format!("<p><a href=\"https://tea.example\" {A}>https://tea.example</a></p>\n")
        );
        // An image is a link to it, never loaded; a relative or scripted link loses its
        // address.
        assert_eq!(
            render("![cat](https://tea.example/c.png)"),
            format!("<p><a href=\"https://tea.example/c.png\" {A}>cat</a></p>\n")
        );
        assert_eq!(render("[x](/rooms/1)"), "<p>x</p>\n");
        assert_eq!(render("[x](javascript:alert(1))"), "<p>x</p>\n");
        assert_eq!(
            render("[](javascript:alert(1))"),
            "<p>javascript:alert(1)</p>\n"
        );
        assert_eq!(
            render("[x](HTTPS://tea.example)"),
            format!("<p><a href=\"HTTPS://tea.example\" {A}>x</a></p>\n")
        );
    }

    #[test]
    fn plain_text_keeps_its_marks_and_links() {
        assert_eq!(
            super::render_plain("**not bold** <b>\nsee https://tea.example"),
            format!(
                "<p>**not bold** &lt;b&gt;<br>\nsee <a href=\"https://tea.example\" {A}>https://tea.example</a></p>\n"
            )
        );
    }

    #[test]
    fn nesting_is_capped() {
        let html = render(&(">".repeat(500) + " deep"));
        assert_eq!(html.matches("<blockquote>").count(), super::MAX_DEPTH);
        assert_eq!(html.matches("</blockquote>").count(), super::MAX_DEPTH);
        assert!(html.contains("deep"));
        let html = render(&("- ".repeat(500) + "deep"));
        assert!(html.matches("<li>").count() <= super::MAX_DEPTH);
    }

    #[test]
    fn lists_quotes_and_code() {
        assert_eq!(
            render("> a\n> b\n\n1. x\n2. y\n\n```rust\nlet a = \"<\";\n```"),
            "<blockquote>\n<p>a<br>\nb</p>\n</blockquote>\n<ol>\n<li>x</li>\n<li>y</li>\n</ol>\n<pre><code>let a = \"&lt;\";\n</code></pre>\n"
        );
    }
}
