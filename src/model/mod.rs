//! A linear model of creepy copy, learnt from the labelled corpus: the second opinion behind the
//! `profile` pack.
//!
//! Rule packs recognise the shapes their authors wrote; fresh copy keeps finding new ones (each
//! blind batch in tests/corpus/HELDOUT.md). The model weighs every word, letter n-gram and pair of
//! words of a message instead, as learnt from thousands of labelled creepy and benign messages, so it
//! generalises to wording no pattern spells out. It is logistic regression over hashed features
//! ([`features`]): small, fast and explainable, since each finding can name the words that weighed
//! most ([`Model::signals`]).
//!
//! The built-in model is trained from `tests/corpus/` by [`train`] and stored in `profile.model`;
//! a test retrains it and fails when the stored file differs, so the file cannot drift from the
//! corpus and the code.

pub mod features;
pub mod train;

use features::{bucket, pair_name, tokens, word_names, DIM, DIM_BITS};
use std::sync::OnceLock;

/// A trained model: one weight per hash bucket and a bias.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    bias: f32,
    weights: Vec<f32>,
}

/// The name packs use for the built-in model (`model = "profile"`).
pub const BUILTIN: &str = "profile";

const MAGIC: &[u8; 8] = b"CLMODEL1";

/// Words too common to explain a score on their own.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "i",
    "in", "is", "it", "it's", "me", "my", "of", "on", "or", "our", "so", "that", "the", "this",
    "to", "up", "us", "was", "we", "we're", "we've", "with", "you", "your", "you're", "you've",
    "#q",
];

impl Model {
    /// A model of all-zero weights (every message scores 0.5).
    pub fn zero() -> Model {
        Model {
            bias: 0.0,
            weights: vec![0.0; DIM],
        }
    }

    /// The built-in model, read once.
    pub fn builtin() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        MODEL.get_or_init(|| {
            Model::from_bytes(include_bytes!("profile.model"))
                .expect("the built-in model is written by the model's own test")
        })
    }

    /// The probability that `text` is creepy, from 0 to 1.
    pub fn score(&self, text: &str) -> f32 {
        self.score_features(&features::features(text))
    }

    /// [`Model::score`] of features already computed.
    pub fn score_features(&self, features: &[u32]) -> f32 {
        sigmoid(self.margin(features))
    }

    fn margin(&self, features: &[u32]) -> f64 {
        if features.is_empty() {
            return f64::from(self.bias);
        }
        let sum: f64 = features
            .iter()
            .map(|&b| f64::from(self.weights[b as usize]))
            .sum();
        f64::from(self.bias) + sum / (features.len() as f64).sqrt()
    }

    /// The `n` features of `text` that weigh most towards creepy, heaviest first, as words
    /// (`last month`, `overdraft`, `#money` for a sum of money); a word's letter n-grams weigh with
    /// it. Single function words are left out: they weigh only with their neighbours, and naming
    /// them explains nothing.
    pub fn signals(&self, text: &str, n: usize) -> Vec<String> {
        let toks = tokens(text);
        let weight = |name: &str| self.weights[bucket(name) as usize];
        // A word weighs what it and its letter n-grams weigh together; a pair weighs alone.
        let words = toks
            .iter()
            .filter(|t| !FUNCTION_WORDS.contains(&t.as_str()))
            .map(|t| {
                (
                    word_names(t).iter().map(|n| weight(n)).sum::<f32>(),
                    t.clone(),
                )
            });
        let pairs = toks.windows(2).map(|p| {
            (
                weight(&pair_name(&p[0], &p[1])),
                format!("{} {}", p[0], p[1]),
            )
        });
        let mut weighed: Vec<(f32, String)> =
            words.chain(pairs).filter(|(w, _)| *w > 0.0).collect();
        weighed.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        let mut out: Vec<String> = Vec::new();
        for (_, shown) in weighed {
            if !out.contains(&shown) {
                out.push(shown);
            }
            if out.len() == n {
                break;
            }
        }
        out
    }

    /// The model as stored: a magic number, the bucket bits, the bias, then every non-zero weight
    /// as (bucket, weight), all little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend(DIM_BITS.to_le_bytes());
        out.extend(self.bias.to_le_bytes());
        let nonzero: Vec<(u32, f32)> = self
            .weights
            .iter()
            .enumerate()
            .filter(|(_, w)| **w != 0.0)
            .map(|(i, w)| (i as u32, *w))
            .collect();
        out.extend((nonzero.len() as u32).to_le_bytes());
        for (i, w) in nonzero {
            out.extend(i.to_le_bytes());
            out.extend(w.to_le_bytes());
        }
        out
    }

    /// Reads a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, String> {
        let word = |at: usize| -> Result<[u8; 4], String> {
            bytes
                .get(at..at + 4)
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| format!("model file ends early at byte {at}"))
        };
        if bytes.get(..8) != Some(MAGIC.as_slice()) {
            return Err("not a creeplint model file".to_string());
        }
        let bits = u32::from_le_bytes(word(8)?);
        if bits != DIM_BITS {
            return Err(format!(
                "model has {bits}-bit features, this creeplint reads {DIM_BITS}"
            ));
        }
        let bias = f32::from_le_bytes(word(12)?);
        let count = u32::from_le_bytes(word(16)?) as usize;
        let mut weights = vec![0.0; DIM];
        for k in 0..count {
            let at = 20 + k * 8;
            let i = u32::from_le_bytes(word(at)?) as usize;
            let w = f32::from_le_bytes(word(at + 4)?);
            *weights
                .get_mut(i)
                .ok_or_else(|| format!("model weight {k} names bucket {i}, past {DIM}"))? = w;
        }
        Ok(Model { bias, weights })
    }
}

fn sigmoid(z: f64) -> f32 {
    (1.0 / (1.0 + (-z).exp())) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_survives_its_file_format() {
        let mut m = Model::zero();
        m.bias = -0.25;
        m.weights[7] = 1.5;
        m.weights[DIM - 1] = -2.0;
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back, m);
        assert!(Model::from_bytes(b"nonsense").is_err());
        let mut cut = m.to_bytes();
        cut.truncate(cut.len() - 3);
        assert!(Model::from_bytes(&cut).unwrap_err().contains("ends early"));
    }

    #[test]
    fn the_built_in_model_tells_a_creepy_message_from_an_offer() {
        let m = Model::builtin();
        let creepy =
            m.score("Your checking dipped to $14.06 this morning and rent leaves Thursday.");
        let offer = m.score("Spend $50 and get free delivery on your next order.");
        assert!(
            creepy > 0.5 && offer < 0.5,
            "creepy {creepy}, offer {offer}"
        );
        let signals = m.signals("You spent $342 with us last month", 3);
        assert_eq!(signals.len(), 3, "{signals:?}");
    }
}
