//! Text from outside, made safe to show: in a terminal, a native dialog, anywhere that acts
//! on characters instead of showing them.

use std::borrow::Cow;

/// `text` with every character a display would act on replaced by U+FFFD: C0 controls but
/// newline and tab (ESC starts every terminal escape sequence; GTK aborts on a NUL), DEL, the
/// C1 controls (U+009B is a CSI by itself on some terminals), and the bidirectional overrides
/// and isolates that can show text in another order than it is.
pub fn inert(text: &str) -> Cow<'_, str> {
    let acts = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if text.chars().any(acts) {
        text.chars()
            .map(|c| if acts(c) { '\u{fffd}' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_replaced_and_text_is_kept() {
        assert_eq!(inert("mira\n\tfoss Мира 名前"), "mira\n\tfoss Мира 名前");
        assert!(matches!(inert("plain"), Cow::Borrowed(_)));
        for acting in [
            "\u{1b}]0;x\u{7}",
            "\u{0}",
            "\u{7f}",
            "\u{9b}31m",
            "\u{202e}",
            "\u{2067}",
        ] {
            let shown = inert(acting);
            assert!(shown.contains('\u{fffd}'), "{acting:?}");
            assert!(!shown
                .chars()
                .any(|c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c)));
        }
    }
}
