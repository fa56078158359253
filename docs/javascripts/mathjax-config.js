// MathJax 3 configuration, read by docs/assets/mathjax/es5/tex-mml-chtml.js (loaded right after this file).
// Markdown pages: pymdownx.arithmatex (generic) wraps math in .arithmatex with \( \) and \[ \].
// Notebook pages: Jupyter's rendered markdown/LaTeX outputs keep $ and $$ delimiters.
// Only those classes (and everything inside them) are typeset; code and other prose are left alone.
// Instant navigation is off, so every page is a full load and no re-typeset hook is needed.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
    tags: "none"
  },
  options: {
    // Not Material's ".*|": that pattern matches every class, the empty one too, so it would re-ignore
    // the <p> children of a notebook's rendered markdown. Ignoring the page's top-level regions instead
    // leaves the whole subtree of a processed element processed.
    ignoreHtmlClass: "md-typeset|md-header|md-sidebar|md-footer|md-search|md-tabs|md-nav|md-banner",
    processHtmlClass: "arithmatex|jp-RenderedLatex|jp-RenderedMarkdown|jp-MarkdownOutput",
    enableMenu: false   // the menu's explorer would fetch speech-rule-engine from a CDN
  }
  // fonts and TeX extensions load from [mathjax] = the folder of tex-mml-chtml.js, on this site
};
