//! What the claims draw on: the papers and books the proofs cite, and the
//! notes the user gave with the task, each note by its title.
//!
//! This is the one list of sources. A proof cites a paper by the words in
//! its [`Paper::cited_as`] (authors and year, as "Goodfellow et al. (2014)")
//! and a note by its title in italics, `*title*`, with its language (and its
//! author and date, where the note gives them) at the first mention.
//! [`cited_in`] finds the sources a proof cites, so the report's pages list
//! every claim's sources without a second list to keep in step; a test
//! checks that every proof cites at least one source and every note is
//! cited somewhere.

/// A paper or book the proofs cite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paper {
    /// A short stable key, used as the anchor on the sources page ("goodfellow2014").
    pub key: &'static str,
    /// Authors and year, as the proofs name it ("Goodfellow et al. (2014)").
    pub short: &'static str,
    /// The full reference: authors, title, where and when it appeared.
    pub reference: &'static str,
    /// Words whose presence in a proof means that the proof cites it
    /// (case-sensitive; any one of them).
    pub cited_as: &'static [&'static str],
}

/// A note the user gave with the task: blog posts and reading notes on
/// the papers, in Chinese and Korean.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Note {
    /// A short stable key, used as the anchor on the sources page ("note-wgan").
    pub key: &'static str,
    /// The title as the note gives it (for an untitled note, its first heading).
    pub title: &'static str,
    /// The title in English.
    pub title_en: &'static str,
    /// The author, where the note names one.
    pub author: Option<&'static str>,
    /// The date, where the note gives one.
    pub date: Option<&'static str>,
    /// The language it is written in.
    pub language: &'static str,
    /// What it covers, in one sentence.
    pub about: &'static str,
}

impl Note {
    /// How a proof cites the note: its title in italics.
    pub fn cited_as(&self) -> String {
        format!("*{}*", self.title)
    }
}

/// The notes the user gave, in the order they were given.
pub const NOTES: &[Note] = &[
    Note {
        key: "note-adversarial-nets",
        title: "Adversarial Nets",
        title_en: "Adversarial Nets (the note has no title line; this is its first heading)",
        author: None,
        date: Some("last modified 25 January 2023"),
        language: "Chinese",
        about: "Reading notes on Goodfellow et al. (2014): the value function, Algorithm 1, Proposition 1, Theorem 1 and Proposition 2.",
    },
    Note {
        key: "note-lee-wgan",
        title: "深度学习-李宏毅GAN学习之WGAN",
        title_en: "Deep learning: learning GANs with Hung-yi Lee, WGAN",
        author: None,
        date: None,
        language: "Chinese",
        about: "Blog notes on a lecture of Hung-yi Lee's course: why JS fails on non-overlapping distributions, LSGAN, the Earth Mover distance and WGAN (weight clipping, the gradient penalty), EBGAN.",
    },
    Note {
        key: "note-gan-cgan-pix2pix",
        title: "GAN (Generative Adversarial Nets) 生成对抗网络",
        title_en: "GAN (Generative Adversarial Nets): generative adversarial networks",
        author: None,
        date: None,
        language: "Chinese",
        about: "Notes on Goodfellow et al. (2014) with English excerpts of the paper (Proposition 1, Theorem 1, Algorithm 1, the Helvetica scenario), a remark on not updating G too much, then CGAN, pix2pix and PatchGAN.",
    },
    Note {
        key: "note-brightlamp",
        title: "生成对抗网络 GAN 的数学原理",
        title_en: "The mathematical principles of generative adversarial networks (GAN)",
        author: Some("BrightLamp (CSDN blog)"),
        date: Some("20 January 2019"),
        language: "Chinese",
        about: "From probability distributions and parameter estimation (a box of 45 numbered balls) through maximum likelihood, KL and JS divergence to the GAN objective.",
    },
    Note {
        key: "note-korean",
        title: "Generative adversarial Nets",
        title_en: "Generative adversarial Nets",
        author: None,
        date: None,
        language: "Korean (with English excerpts of the paper)",
        about: "Reading notes on Goodfellow et al. (2014): the objective, the alternating updates and the switch to the non-saturating loss, Algorithm 1, the optimal discriminator and C(G) = -log 4 + 2 JS.",
    },
];

/// The papers and books the proofs cite, in the order of the catalogue's
/// first use.
pub const PAPERS: &[Paper] = &[
    Paper {
        key: "goodfellow2014",
        short: "Goodfellow et al. (2014)",
        reference: "Ian Goodfellow, Jean Pouget-Abadie, Mehdi Mirza, Bing Xu, David Warde-Farley, Sherjil Ozair, Aaron Courville and Yoshua Bengio. Generative Adversarial Nets. Advances in Neural Information Processing Systems 27 (NIPS 2014).",
        cited_as: &["Goodfellow et al."],
    },
    Paper {
        key: "freund1999",
        short: "Freund and Schapire (1999)",
        reference: "Yoav Freund and Robert E. Schapire. Adaptive game playing using multiplicative weights. Games and Economic Behavior 29(1-2), 1999.",
        cited_as: &["Freund and Schapire"],
    },
    Paper {
        key: "arjovsky2017principled",
        short: "Arjovsky and Bottou (2017)",
        reference: "Martin Arjovsky and Léon Bottou. Towards Principled Methods for Training Generative Adversarial Networks. International Conference on Learning Representations (ICLR 2017).",
        cited_as: &["Arjovsky and Bottou"],
    },
    Paper {
        key: "kullback1951",
        short: "Kullback and Leibler (1951)",
        reference: "Solomon Kullback and Richard A. Leibler. On information and sufficiency. The Annals of Mathematical Statistics 22(1), 1951.",
        cited_as: &["Kullback and Leibler"],
    },
    Paper {
        key: "cover2006",
        short: "Cover and Thomas (2006)",
        reference: "Thomas M. Cover and Joy A. Thomas. Elements of Information Theory, 2nd edition. Wiley, 2006.",
        cited_as: &["Cover and Thomas"],
    },
    Paper {
        key: "lin1991",
        short: "Lin (1991)",
        reference: "Jianhua Lin. Divergence measures based on the Shannon entropy. IEEE Transactions on Information Theory 37(1), 1991.",
        cited_as: &["Lin (1991)"],
    },
    Paper {
        key: "endres2003",
        short: "Endres and Schindelin (2003)",
        reference: "Dominik M. Endres and Johannes E. Schindelin. A new metric for probability distributions. IEEE Transactions on Information Theory 49(7), 2003.",
        cited_as: &["Endres and Schindelin"],
    },
    Paper {
        key: "fuglede2004",
        short: "Fuglede and Topsøe (2004)",
        reference: "Bent Fuglede and Flemming Topsøe. Jensen-Shannon divergence and Hilbert space embedding. IEEE International Symposium on Information Theory (ISIT 2004).",
        cited_as: &["Fuglede and Tops"],
    },
    Paper {
        key: "goodfellow2016",
        short: "Goodfellow (2016)",
        reference: "Ian Goodfellow. NIPS 2016 Tutorial: Generative Adversarial Networks. arXiv:1701.00160, 2016.",
        cited_as: &["Goodfellow's NIPS 2016 tutorial"],
    },
    Paper {
        key: "barndorff1978",
        short: "Barndorff-Nielsen (1978)",
        reference: "Ole Barndorff-Nielsen. Information and Exponential Families in Statistical Theory. Wiley, 1978.",
        cited_as: &["Barndorff-Nielsen"],
    },
    Paper {
        key: "wainwright2008",
        short: "Wainwright and Jordan (2008)",
        reference: "Martin J. Wainwright and Michael I. Jordan. Graphical Models, Exponential Families, and Variational Inference. Foundations and Trends in Machine Learning 1(1-2), 2008.",
        cited_as: &["Wainwright and Jordan"],
    },
    Paper {
        key: "kullback1959",
        short: "Kullback (1959)",
        reference: "Solomon Kullback. Information Theory and Statistics. Wiley, 1959.",
        cited_as: &["Kullback, *Information Theory and Statistics*"],
    },
    Paper {
        key: "kingma2014",
        short: "Kingma and Welling (2014)",
        reference: "Diederik P. Kingma and Max Welling. Auto-Encoding Variational Bayes. International Conference on Learning Representations (ICLR 2014).",
        cited_as: &["Kingma and Welling"],
    },
    Paper {
        key: "kronrod1965",
        short: "Kronrod (1965)",
        reference: "Aleksandr S. Kronrod. Nodes and Weights of Quadrature Formulas. Consultants Bureau, New York, 1965.",
        cited_as: &["Kronrod's (1965)", "Kronrod (1965)"],
    },
    Paper {
        key: "piessens1983",
        short: "Piessens et al. (1983)",
        reference: "Robert Piessens, Elise de Doncker-Kapenga, Christoph W. Überhuber and David K. Kahaner. QUADPACK: A Subroutine Package for Automatic Integration. Springer, 1983.",
        cited_as: &["Piessens et al."],
    },
    Paper {
        key: "arjovsky2017wgan",
        short: "Arjovsky, Chintala and Bottou (2017)",
        reference: "Martin Arjovsky, Soumith Chintala and Léon Bottou. Wasserstein Generative Adversarial Networks. Proceedings of the 34th International Conference on Machine Learning (ICML 2017).",
        cited_as: &["Arjovsky, Chintala and Bottou", "Arjovsky et al."],
    },
    Paper {
        key: "villani2009",
        short: "Villani (2009)",
        reference: "Cédric Villani. Optimal Transport, Old and New. Grundlehren der mathematischen Wissenschaften 338, Springer, 2009.",
        cited_as: &["*Optimal Transport, Old and New*"],
    },
    Paper {
        key: "villani2003",
        short: "Villani (2003)",
        reference: "Cédric Villani. Topics in Optimal Transportation. Graduate Studies in Mathematics 58, American Mathematical Society, 2003.",
        cited_as: &["*Topics in Optimal Transportation*"],
    },
    Paper {
        key: "gulrajani2017",
        short: "Gulrajani et al. (2017)",
        reference: "Ishaan Gulrajani, Faruk Ahmed, Martin Arjovsky, Vincent Dumoulin and Aaron Courville. Improved Training of Wasserstein GANs. Advances in Neural Information Processing Systems 30 (NeurIPS 2017).",
        cited_as: &["Gulrajani"],
    },
    Paper {
        key: "mao2017",
        short: "Mao et al. (2017)",
        reference: "Xudong Mao, Qing Li, Haoran Xie, Raymond Y. K. Lau, Zhen Wang and Stephen Paul Smolley. Least Squares Generative Adversarial Networks. IEEE International Conference on Computer Vision (ICCV 2017).",
        cited_as: &["Mao et al."],
    },
    Paper {
        key: "zhao2017",
        short: "Zhao, Mathieu and LeCun (2017)",
        reference: "Junbo Zhao, Michael Mathieu and Yann LeCun. Energy-based Generative Adversarial Network. International Conference on Learning Representations (ICLR 2017).",
        cited_as: &["Zhao, Mathieu and LeCun"],
    },
    Paper {
        key: "mirza2014",
        short: "Mirza and Osindero (2014)",
        reference: "Mehdi Mirza and Simon Osindero. Conditional Generative Adversarial Nets. arXiv:1411.1784, 2014.",
        cited_as: &["Mirza and Osindero"],
    },
    Paper {
        key: "isola2017",
        short: "Isola et al. (2017)",
        reference: "Phillip Isola, Jun-Yan Zhu, Tinghui Zhou and Alexei A. Efros. Image-to-Image Translation with Conditional Adversarial Networks. IEEE Conference on Computer Vision and Pattern Recognition (CVPR 2017).",
        cited_as: &["Isola et al."],
    },
    Paper {
        key: "nowozin2016",
        short: "Nowozin, Cseke and Tomioka (2016)",
        reference: "Sebastian Nowozin, Botond Cseke and Ryota Tomioka. f-GAN: Training Generative Neural Samplers using Variational Divergence Minimization. Advances in Neural Information Processing Systems 29 (NIPS 2016).",
        cited_as: &["Nowozin, Cseke and Tomioka"],
    },
    Paper {
        key: "mescheder2018",
        short: "Mescheder, Geiger and Nowozin (2018)",
        reference: "Lars Mescheder, Andreas Geiger and Sebastian Nowozin. Which Training Methods for GANs do actually Converge? Proceedings of the 35th International Conference on Machine Learning (ICML 2018).",
        cited_as: &["Mescheder, Geiger and Nowozin", "Mescheder et al."],
    },
    Paper {
        key: "metz2016",
        short: "Metz et al. (2016)",
        reference: "Luke Metz, Ben Poole, David Pfau and Jascha Sohl-Dickstein. Unrolled Generative Adversarial Networks. International Conference on Learning Representations (ICLR 2017); arXiv:1611.02163 (2016).",
        cited_as: &["Metz et al."],
    },
    Paper {
        key: "srivastava2017",
        short: "Srivastava et al. (2017)",
        reference: "Akash Srivastava, Lazar Valkov, Chris Russell, Michael U. Gutmann and Charles Sutton. VEEGAN: Reducing Mode Collapse in GANs using Implicit Variational Learning. Advances in Neural Information Processing Systems 30 (NIPS 2017).",
        cited_as: &["Srivastava et al."],
    },
    Paper {
        key: "lin2018",
        short: "Lin et al. (2018)",
        reference: "Zinan Lin, Ashish Khetan, Giulia Fanti and Sewoong Oh. PacGAN: The power of two samples in generative adversarial networks. Advances in Neural Information Processing Systems 31 (NeurIPS 2018); code: github.com/fjxmlzn/PacGAN, synthetic_data_experiments.",
        cited_as: &["Lin et al. (2018)", "PacGAN"],
    },
    Paper {
        key: "kingma2015",
        short: "Kingma and Ba (2015)",
        reference: "Diederik P. Kingma and Jimmy Ba. Adam: A Method for Stochastic Optimization. International Conference on Learning Representations (ICLR 2015).",
        cited_as: &["Kingma and Ba"],
    },
];

/// The sources a text cites.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cited {
    /// The papers and books, in the order of [`PAPERS`].
    pub papers: Vec<&'static Paper>,
    /// The notes, in the order of [`NOTES`].
    pub notes: Vec<&'static Note>,
}

/// The papers and notes `markdown` (a proof) cites: a paper when one of its
/// [`Paper::cited_as`] occurs, a note when its italic title does.
pub fn cited_in(markdown: &str) -> Cited {
    Cited {
        papers: PAPERS
            .iter()
            .filter(|p| p.cited_as.iter().any(|c| markdown.contains(c)))
            .collect(),
        notes: NOTES
            .iter()
            .filter(|n| markdown.contains(&n.cited_as()))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<&str> = PAPERS
            .iter()
            .map(|p| p.key)
            .chain(NOTES.iter().map(|n| n.key))
            .collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a source key is used twice");
    }

    /// A note's italic title is not part of a paper's: the Korean note's
    /// title differs from the paper's by one capital, and the Chinese note
    /// headed "Adversarial Nets" must not match "*Generative Adversarial Nets*".
    #[test]
    fn note_titles_do_not_match_the_papers() {
        let cited = cited_in("Goodfellow et al. (2014), *Generative Adversarial Nets*, Section 3");
        assert!(cited.notes.is_empty(), "{cited:?}");
        assert_eq!(cited.papers.len(), 1);
        let cited =
            cited_in("the Korean note *Generative adversarial Nets* and *Adversarial Nets* (2023)");
        assert_eq!(cited.notes.len(), 2, "{cited:?}");
        assert!(cited.papers.is_empty(), "{cited:?}");
    }
}
