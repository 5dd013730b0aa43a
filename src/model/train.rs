//! Training the model: logistic regression fitted by AdaGrad over the labelled corpus, in a fixed
//! order, so the same corpus always gives the same model byte for byte.

use super::features::{features, tokens, DIM};
use super::Model;
use crate::engine::{model_units, MODEL_MIN_TOKENS};
use crate::eval::{read_corpus, CorpusError, Label};
use crate::fields::FieldClassifier;
use crate::source::{Document, Format};
use std::path::{Path, PathBuf};

/// One labelled message, as the engine's segments present it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Whether the message is creepy.
    pub creepy: bool,
    /// Its copy, normalised as the engine sees it (merge fields as placeholders of their kinds).
    pub text: String,
    /// True for one sentence of a benign row, shown on its own besides the whole row.
    pub sentence: bool,
}

/// How the model is fitted.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Passes over the examples.
    pub epochs: usize,
    /// AdaGrad's base learning rate.
    pub rate: f64,
    /// L2 penalty on every weight an example touches.
    pub l2: f64,
    /// Seeds the order of the examples in each pass.
    pub seed: u64,
}

/// The settings of the built-in model, chosen by leaving one blind batch out at a time
/// (tests/corpus/HELDOUT.md).
pub const BUILTIN_PARAMS: Params = Params {
    epochs: 30,
    rate: 0.5,
    l2: 3e-4,
    seed: 0x5eed_c0de,
};

/// The file in `tests/corpus/` that names the batches kept out of training, one file name a line
/// (`#` starts a comment): they measure the model honestly because it never saw them.
pub const HELD_OUT_LIST: &str = "held-out.txt";

/// The corpus files the built-in model learns from: every `*.tsv` in `dir` but the held-out ones.
pub fn training_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let held = std::fs::read_to_string(dir.join(HELD_OUT_LIST)).unwrap_or_default();
    let held: Vec<&str> = held
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            !held.contains(&name)
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The examples of corpus files, each row read as `rules eval` reads it.
pub fn examples(files: &[PathBuf], fields: &FieldClassifier) -> Result<Vec<Example>, CorpusError> {
    let mut out = Vec::new();
    for file in files {
        for row in read_corpus(file)? {
            let format = Format::of_snippet(&row.text);
            let doc = Document::parse(row.text, format, fields);
            let creepy = row.label == Label::Creepy;
            let text: Vec<&str> = doc.segments.iter().map(|s| s.text.as_str()).collect();
            let whole = text.join(" ");
            // The engine scores sentences, not rows. Every sentence of a benign row is benign, so
            // the model sees each one alone too; a creepy row's sentences are not all creepy.
            if !creepy {
                for seg in &doc.segments {
                    for unit in model_units(&seg.text) {
                        let part = &seg.text[unit];
                        if part.len() < whole.len() && tokens(part).len() >= MODEL_MIN_TOKENS {
                            out.push(Example {
                                creepy,
                                text: part.to_string(),
                                sentence: true,
                            });
                        }
                    }
                }
            }
            out.push(Example {
                creepy,
                text: whole,
                sentence: false,
            });
        }
    }
    Ok(out)
}

/// Fits a model to `examples`. Classes are weighed inversely to their size, so a corpus with
/// more benign rows than creepy ones still learns both.
pub fn train(examples: &[Example], params: Params) -> Model {
    let inputs: Vec<Vec<u32>> = examples.iter().map(|e| features(&e.text)).collect();
    let positives = examples.iter().filter(|e| e.creepy).count().max(1) as f64;
    let negatives = (examples.len() as f64 - positives).max(1.0);
    let total = examples.len() as f64;
    let class_weight = |creepy: bool| {
        if creepy {
            total / (2.0 * positives)
        } else {
            total / (2.0 * negatives)
        }
    };
    let mut w = vec![0.0f64; DIM];
    let mut g2 = vec![1e-8f64; DIM];
    let (mut bias, mut bias_g2) = (0.0f64, 1e-8f64);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = params.seed | 1;
    for _ in 0..params.epochs {
        // Fisher-Yates with xorshift64: the same seed gives the same order everywhere.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &i in &order {
            let idx = &inputs[i];
            let scale = if idx.is_empty() {
                0.0
            } else {
                1.0 / (idx.len() as f64).sqrt()
            };
            let z = bias + idx.iter().map(|&b| w[b as usize]).sum::<f64>() * scale;
            let p = 1.0 / (1.0 + (-z).exp());
            let y = if examples[i].creepy { 1.0 } else { 0.0 };
            let g = (p - y) * class_weight(examples[i].creepy);
            for &b in idx {
                let b = b as usize;
                let gi = g * scale + params.l2 * w[b];
                g2[b] += gi * gi;
                w[b] -= params.rate * gi / g2[b].sqrt();
            }
            bias_g2 += g * g;
            bias -= params.rate * g / bias_g2.sqrt();
        }
    }
    Model {
        bias: bias as f32,
        weights: w.into_iter().map(|x| x as f32).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(creepy: bool, text: &str) -> Example {
        Example {
            creepy,
            text: text.to_string(),
            sentence: false,
        }
    }

    #[test]
    fn training_separates_what_it_is_shown_and_repeats_exactly() {
        let examples = [
            ex(true, "you spent #money with us last month"),
            ex(true, "we noticed you spent a lot last night"),
            ex(false, "spend #money and get free delivery"),
            ex(false, "free delivery on every order this week"),
        ];
        let params = Params {
            epochs: 50,
            ..BUILTIN_PARAMS
        };
        let model = train(&examples, params);
        assert!(model.score("you spent a lot last month") > 0.5);
        assert!(model.score("free delivery this week") < 0.5);
        assert_eq!(train(&examples, params).to_bytes(), model.to_bytes());
    }

    /// The stored built-in model is what training on the corpus gives today. After changing the
    /// corpus, the features or the packs' field kinds, rewrite it with
    /// `CREEPLINT_WRITE_MODEL=1 cargo test --lib model_file`.
    #[test]
    fn the_model_file_is_fresh() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let files = training_files(&root.join("tests/corpus")).unwrap();
        assert!(files.len() > 10, "training files: {files:?}");
        let set =
            crate::pack::load(crate::pack::PackSource::builtin()).expect("built-in packs load");
        let examples = examples(&files, &set.classifier).unwrap();
        let bytes = train(&examples, BUILTIN_PARAMS).to_bytes();
        let stored = root.join("src/model/profile.model");
        if std::env::var_os("CREEPLINT_WRITE_MODEL").is_some() {
            std::fs::write(&stored, &bytes).unwrap();
        }
        let on_disk = std::fs::read(&stored).unwrap_or_default();
        assert!(
            on_disk == bytes,
            "src/model/profile.model is stale ({} bytes stored, {} trained from {} examples): \
             rewrite it with CREEPLINT_WRITE_MODEL=1 cargo test --lib model_file",
            on_disk.len(),
            bytes.len(),
            examples.len()
        );
    }
}
