//! A passphrase generator: words drawn uniformly from the EFF large wordlist (7,776 words,
//! CC BY 3.0, Electronic Frontier Foundation) with the operating system's CSPRNG.

use crate::secret::SecretString;

static WORDLIST: &str = include_str!("eff_large_wordlist.txt");

/// Fewest and most words the generator makes.
pub const WORDS_RANGE: std::ops::RangeInclusive<usize> = 3..=12;

/// A generated passphrase and its entropy.
#[derive(Debug)]
pub struct Passphrase {
    /// The passphrase.
    pub phrase: SecretString,
    /// log2 of the number of equally likely passphrases of this shape.
    pub entropy_bits: f64,
}

/// Makes a passphrase of `words` words joined by `separator`, drawing randomness from
/// `fill` (the OS CSPRNG in the app; fixed bytes in tests).
pub fn generate(words: usize, separator: &str, fill: &mut dyn FnMut(&mut [u8])) -> Passphrase {
    let list: Vec<&str> = WORDLIST.lines().collect();
    let words = words.clamp(*WORDS_RANGE.start(), *WORDS_RANGE.end());
    let n = list.len() as u32;
    // Rejection sampling keeps every word equally likely.
    let limit = u32::MAX - u32::MAX % n;
    let mut chosen = Vec::with_capacity(words);
    while chosen.len() < words {
        let mut bytes = [0u8; 4];
        fill(&mut bytes);
        let value = u32::from_le_bytes(bytes);
        if value < limit {
            chosen.push(list[(value % n) as usize]);
        }
    }
    Passphrase {
        phrase: SecretString::from(chosen.join(separator)),
        entropy_bits: words as f64 * f64::from(n).log2(),
    }
}

/// The operating system's CSPRNG.
pub fn os_random(bytes: &mut [u8]) {
    getrandom::fill(bytes).expect("the operating system's random number generator failed");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wordlist_is_the_eff_large_list() {
        let words: Vec<&str> = WORDLIST.lines().collect();
        assert_eq!(words.len(), 7776);
        let mut unique = words.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), 7776);
        assert_eq!((words[0], words[7775]), ("abacus", "zoom"));
    }

    #[test]
    fn generates_the_asked_shape_with_its_entropy() {
        let mut counter = 0u32;
        let mut fill = |bytes: &mut [u8]| {
            counter += 1;
            bytes.copy_from_slice(&counter.to_le_bytes());
        };
        let p = generate(5, "-", &mut fill);
        assert_eq!(
            p.phrase.expose_secret(),
            "abdomen-abdominal-abide-abiding-ability"
        );
        assert!((p.entropy_bits - 64.62).abs() < 0.01, "{}", p.entropy_bits);
        assert_eq!(
            generate(1, " ", &mut os_random)
                .phrase
                .expose_secret()
                .split(' ')
                .count(),
            3,
            "clamped"
        );
    }

    #[test]
    fn os_randomness_gives_different_passphrases() {
        let a = generate(6, " ", &mut os_random);
        let b = generate(6, " ", &mut os_random);
        assert_ne!(a.phrase, b.phrase);
    }
}
