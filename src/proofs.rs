//! The written proofs of the claims, one module per claim.
//!
//! Each proof lives in `proofs/<ID>-<slug>.md` at the crate root, where it
//! reads as plain Markdown (GitHub renders its math), and is included here
//! as the documentation of one module, so that `cargo doc` renders it with
//! the rest of the API. The build script typesets the formulas (`$...$`
//! inline, `$$...$$` displayed) as MathML first, so the pages show them
//! without a network or a script; `gan-theory verify` renders the same
//! proofs, with the measurements that check them, as the report's pages.
//!
//! Every proof has the same parts: the statement with its domains and
//! conventions, the sources (the papers, and what the user's notes listed
//! in [`sources`](crate::sources) say or get wrong), the derivation step by
//! step, and the tests that check the claim numerically, including its
//! entry in `gan-theory verify`. Rust code blocks in a proof run as doctests.
//!
//! The [`CATALOGUE`] is the one list of the claims: their ids, one-line
//! statements, proof files and the library items each checks. The modules
//! below, the `verify` registry (feature `verify`) and the tests all read it.

/// One claim of the [`CATALOGUE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimEntry {
    /// Catalogue id: "A1", "B5", ...
    pub id: &'static str,
    /// The statement in one line.
    pub statement: &'static str,
    /// Path of the written proof, relative to the crate root ("proofs/A1-value-function.md").
    pub proof: &'static str,
    /// Name of the module of this file that renders the proof ("a1_value_function").
    pub module: &'static str,
    /// The public library items the claim's check exercises, as paths from
    /// the crate root ("game::c_of_g").
    pub code: &'static [&'static str],
    /// The proof's Markdown, as in the file (math as TeX between `$`).
    pub markdown: &'static str,
}

/// The type of a claim's check in the `verify` registry.
#[cfg(feature = "verify")]
pub(crate) type Check =
    fn(&crate::claims::Context) -> crate::Result<Vec<crate::claims::Measurement>>;

/// Writes, from one list, the proof modules, [`CATALOGUE`], the ids as
/// constants ([`id::A1`], ...) and, with `verify`, each
/// claim's check in catalogue order.
macro_rules! catalogue {
    ($(
        $id:ident => $module:ident {
            proof: $file:literal,
            statement: $statement:literal,
            code: [$($code:literal),+ $(,)?],
            check: $($check:ident)::+ $(,)?
        }
    )*) => {
        $(
            #[doc = include_str!(concat!(env!("OUT_DIR"), "/proofs/", $file))]
            #[doc = ""]
            #[doc = "## Code"]
            #[doc = ""]
            #[doc = concat!("The library items this claim checks:" $(, " [`", $code, "`](crate::", $code, ")")+, ".")]
            pub mod $module {}
        )*

        /// Every claim, in catalogue order (A1 ... E1).
        pub const CATALOGUE: &[ClaimEntry] = &[$(
            ClaimEntry {
                id: stringify!($id),
                statement: $statement,
                proof: concat!("proofs/", $file),
                module: stringify!($module),
                code: &[$($code),+],
                markdown: include_str!(concat!("../proofs/", $file)),
            }
        ),*];

        /// The claim ids as constants, one per entry of [`CATALOGUE`]:
        /// code that names a claim (a report figure, a test looking a claim
        /// up, `claims::get(id::A6)` with feature `verify`) writes
        /// `id::A6` rather than `"A6"`, so that a misspelt id does not
        /// compile.
        pub mod id {
            $(
                #[doc = concat!("Claim ", stringify!($id), ": ", $statement, ".")]
                pub const $id: &str = stringify!($id);
            )*
        }

        /// The check of each claim, in the order of [`CATALOGUE`].
        #[cfg(feature = "verify")]
        pub(crate) const CHECKS: &[Check] = &[$(crate::claims::$($check)::+),*];
    };
}

catalogue! {
    A1 => a1_value_function {
        proof: "A1-value-function.md",
        statement: "V(D, G) = E_pdata ln D + E_pz ln(1 - D(G(z))); the minibatch estimate is unbiased with standard error sigma/sqrt(m)",
        code: ["game::value", "game::sample_value"],
        check: game::a1,
    }
    A2 => a2_pointwise_lemma {
        proof: "A2-pointwise-lemma.md",
        statement: "y -> a ln y + b ln(1 - y) is maximised on [0, 1] at y = a/(a + b)",
        code: ["game::pointwise_objective", "game::pointwise_argmax"],
        check: game::a2,
    }
    A3 => a3_optimal_discriminator {
        proof: "A3-optimal-discriminator.md",
        statement: "For fixed G, D* = p_data/(p_data + p_g) maximises V(G, .); D* = 1/2 where p_g = p_data",
        code: ["game::optimal_discriminator", "game::d_star"],
        check: game::a3,
    }
    A4 => a4_global_optimum {
        proof: "A4-global-optimum.md",
        statement: "C(G) = max_D V(G, D) = -ln 4 + 2 JSD(p_data || p_g), minimal (-ln 4) iff p_g = p_data",
        code: ["game::c_of_g", "divergence::js"],
        check: game::a4,
    }
    A5 => a5_convergence {
        proof: "A5-convergence.md",
        statement: "C(G) is convex in p_g; with D optimal at every step, small gradient steps on G drive JSD to 0 and C(G) to -ln 4",
        code: ["game::c_of_g", "train::tabular_game::descend_c_of_g"],
        check: training::a5,
    }
    A6 => a6_algorithm1 {
        proof: "A6-algorithm1.md",
        statement: "Algorithm 1: a discriminator trained on minibatches approaches D* (tabular SGD; MLP), and Algorithm 1 with MLPs on the Figure 1 setting brings p_g close to p_data in W1",
        code: ["train::tabular_game::train_discriminator_sgd", "train::inner_max::maximise_value", "train::algorithm1::Algorithm1"],
        check: training::a6,
    }
    A7 => a7_non_saturating {
        proof: "A7-non-saturating.md",
        statement: "As D(G(z)) -> 0 the saturating loss's gradient in the logit vanishes, the non-saturating one tends to -1; with D* fixed, grad E_pg[-ln D*] = grad [KL(p_g||p_data) - 2 JSD] and grad E_pg[ln(1 - D*)] = grad 2 JSD",
        code: ["game::saturating_loss_grad", "game::non_saturating_loss_grad", "tabular::TabularGenerator"],
        check: training::a7,
    }
    A8 => a8_helvetica {
        proof: "A8-helvetica.md",
        statement: "Against a fixed D the generator collapses onto argmax D (entropy -> 0); with D kept optimal it does not",
        code: ["train::tabular_game::train_generator", "train::tabular_game::DiscriminatorPolicy"],
        check: training::a8,
    }
    A9 => a9_step_size {
        proof: "A9-step-size.md",
        statement: "A large G step can lower V against the old D* and still raise C(G); small steps lower C(G)",
        code: ["train::tabular_game::probe_generator_steps"],
        check: training::a9,
    }
    B1 => b1_kl_divergence {
        proof: "B1-kl-divergence.md",
        statement: "KL(p || q) >= 0, = 0 iff p = q; not symmetric; +inf where p has mass q lacks; 0 ln 0 = 0",
        code: ["divergence::kl"],
        check: divergence::b1,
    }
    B2 => b2_js_divergence {
        proof: "B2-js-divergence.md",
        statement: "JSD is symmetric, 0 <= JSD <= ln 2 (1 bit), ln 2 iff supports are disjoint; sqrt(JSD) is a metric",
        code: ["divergence::js", "divergence::js_distance"],
        check: divergence::b2,
    }
    B3 => b3_js_identity {
        proof: "B3-js-identity.md",
        statement: "JSD(q || p) = V(D*)/2 + ln 2 with V(D) = E_q ln D + E_p ln(1 - D) (BrightLamp's note)",
        code: ["divergence::js", "game::c_of_g"],
        check: divergence::b3,
    }
    B4 => b4_maximum_likelihood {
        proof: "B4-maximum-likelihood.md",
        statement: "argmax_theta E_q ln p_theta = argmin_theta KL(q || p_theta): on the 45 balls of BrightLamp's note the maximum-likelihood fit matches the moments, minimises KL and differs from the L2 fit",
        code: ["train::fit::fit_maximum_likelihood", "train::fit::fit_least_squares"],
        check: fit::check_b4,
    }
    B5 => b5_continuous_references {
        proof: "B5-continuous-references.md",
        statement: "KL(N(m1, s1^2) || N(m2, s2^2)) = ln(s2/s1) + (s1^2 + (m1 - m2)^2)/(2 s2^2) - 1/2; quadrature of KL, Hellinger, chi2 and TV on statrs densities converges to the closed forms within its own error estimate",
        code: ["continuous::kl_normals", "continuous::kl", "continuous::hellinger2", "continuous::chi2"],
        check: continuous::check_b5,
    }
    C1 => c1_optimal_transport {
        proof: "C1-optimal-transport.md",
        statement: "W1(p, q) = min over plans of sum gamma_ij d(x_i, y_j): the solver's plan is feasible, its duals feasible, primal = dual; W1 is a metric",
        code: ["transport::emd", "transport::verify_certificate"],
        check: transport::c1,
    }
    C2 => c2_one_dimension {
        proof: "C2-one-dimension.md",
        statement: "On the line W1 = integral |F_p - F_q| (and W_p through the quantile functions), equal to the general solver's value",
        code: ["transport::line::w1", "transport::line::wp"],
        check: transport::c2,
    }
    C3 => c3_kantorovich_rubinstein {
        proof: "C3-kantorovich-rubinstein.md",
        statement: "Kantorovich-Rubinstein: f(x) = min_j (d(x, y_j) - v_j) from the duals is 1-Lipschitz and E_p f - E_q f = W1",
        code: ["transport::potential::KrPotential"],
        check: transport::c3,
    }
    C4 => c4_disjoint_supports {
        proof: "C4-disjoint-supports.md",
        statement: "WGAN Example 1, P_0 against P_theta on parallel segments: W1 = |theta| with gradient sign(theta), while JSD = ln 2 (gradient 0), KL = +inf, TV = 1 for theta != 0",
        code: ["transport::emd", "divergence::js"],
        check: transport::c4,
    }
    C5 => c5_weak_convergence {
        proof: "C5-weak-convergence.md",
        statement: "delta_{1/n} -> delta_0 weakly: W1 = 1/n -> 0 while JSD stays ln 2",
        code: ["transport::line::w1", "divergence::js"],
        check: transport::c5,
    }
    D1 => d1_wgan {
        proof: "D1-wgan.md",
        statement: "A small MLP critic trained with weight clipping or with the gradient penalty gives a certified lower bound on W1 close to the exact value (1-D samples; discrete in the plane); a WGAN generator moves from a disjoint start, where the minimax GAN's generator gradient vanishes",
        code: ["train::wgan::CriticTrainer", "train::wgan::Wgan", "train::wgan::Lipschitz"],
        check: wgan::d1,
    }
    D2 => d2_lsgan {
        proof: "D2-lsgan.md",
        statement: "LSGAN: D* = (b p_data + a p_g)/(p_data + p_g); at D* the generator's (extended) loss is ((a+b)/2 - c)^2 + ((b-a)/2)^2 T with T = ½ chi2(2 p_g || p_data + p_g), so for b - c = 1, b - a = 2 it is ½ chi2(2 p_g || p_data + p_g) (not chi2(p_data + p_g || 2 p_g)); a tabular D trained by gradient steps follows the exact contraction to D*",
        code: ["variants::lsgan::optimal_discriminator", "variants::lsgan::lsgan_divergence"],
        check: lsgan::d2,
    }
    D3 => d3_ebgan {
        proof: "D3-ebgan.md",
        statement: "EBGAN with margin m: for fixed G the best energy (0 where p_data > p_g, m where p_data < p_g) gives V = m (1 - TV(p_data, p_g)); the two players' best-response gaps add up to at least m TV; (D, G) is a Nash equilibrium iff p_g = p_data, D = gamma on the support for some gamma in [0, m] and D >= gamma off it, and then V = m; with p_g = p_data every D in [0, m] is a best response of the energy, constant or not",
        code: ["variants::ebgan::best_energy", "variants::ebgan::nash_gaps"],
        check: ebgan::d3,
    }
    D4 => d4_conditional_gan {
        proof: "D4-conditional-gan.md",
        statement: "Conditional GAN: D*(x|y) = p(x|y)/(p(x|y) + q(x|y)) and C = -ln 4 + 2 E_y JSD(p(.|y) || q(.|y)) >= C of the marginals; pix2pix's L1 term is minimised by the conditional median and pulls p_g off p_data (a trained generator ends below p_data's objective); a tabular conditional D trained by gradient ascent reaches D* within its derived bound",
        code: ["variants::conditional::ConditionalGame", "variants::conditional::Pix2Pix"],
        check: conditional::d4,
    }
    D5 => d5_f_gan {
        proof: "D5-f-gan.md",
        statement: "f-GAN: D_f(P||Q) >= E_P T - E_Q f*(T) for every T, tight at T* = f'(p/q); f(1) = 0 and f*(f'(u)) = u f'(u) - f(u) for the table's f (KL, reverse KL, Pearson, Neyman, squared Hellinger, JS, TV); the GAN's f has f(1) = -ln 4 and gives D_f = 2 JSD - ln 4",
        code: ["variants::fgan::FDivergence"],
        check: fgan::d5,
    }
    E1 => e1_dirac_gan {
        proof: "E1-dirac-gan.md",
        statement: "Dirac-GAN: at the equilibrium the unregularised GAN's Jacobian has eigenvalues ± i f'(0) (WGAN ± i), WGAN-GP, instance noise, R1 and consensus move them to the closed forms of Mescheder et al. 2018; simultaneous steps of the GAN grow theta^2 + psi^2 by exactly 1 + h^2 f'(theta psi)^2 per step; alternating WGAN steps conserve a quadratic form (bounded, not converging); R1 converges at the rate of the step's spectral radius",
        code: ["dynamics::trajectory", "dynamics::Method", "dynamics::linear::spectral_radius"],
        check: dynamics::e1,
    }
    F1 => f1_finite_samples {
        proof: "F1-finite-samples.md",
        statement: "Two samples from continuous laws (even one law) are disjoint almost surely: JSD(P_n || Q_n) = ln 2, KL = +inf, TV = 1 for every n; an MLP D separates them and the minimax generator gradient falls below M eps / (1 - eps); W1(P_n, Q_n) -> W1(P, Q) within (s_p + s_q) C / sqrt n (normals: E |m1 - m2 + (s1 - s2) Z|), and for one law W1(P_n, Q_n) is of order exactly n^-1/2",
        code: ["continuous::w1_normals", "transport::line::w1", "divergence::js", "train::wgan::train_standard_discriminator", "train::wgan::generator_gradient"],
        check: samples::f1,
    }
    F2 => f2_low_dimensional_supports {
        proof: "F2-low-dimensional-supports.md",
        statement: "P, Q uniform on unit segments of the plane crossing at one point: JSD = ln 2, KL = +inf, TV = 1 (binned values within derived bounds), while W1 = 2 sin(phi/2) (1/4 + a^2) (Q = P turned by phi <= pi/2 about its point at offset a) is continuous in angle and offset, the exact solver within 1/(2K) of it; aligned overlapping segments have JSD = |delta| ln 2 < ln 2",
        code: ["transport::emd", "divergence::js", "divergence::kl", "divergence::total_variation"],
        check: segments::f2,
    }
    F3 => f3_discriminator_steps {
        proof: "F3-discriminator-steps.md",
        statement: "k discriminator steps per generator step: on overlapping supports D's logit error contracts geometrically in k, at a rate set by the step and the curvature (a+b) sigma(l) sigma(-l), so the saturating generator gradient approaches grad 2 JSD; on disjoint supports D tends to the perfect discriminator like 1/k, the saturating gradient falls with D's error (Arjovsky-Bottou Thm 2.4: at most |p_g|_2 eps/(1 - eps)), the non-saturating one tends to grad -H(p_g) and does not vanish",
        code: ["train::discriminator_steps::ascent_factor_bounds", "train::discriminator_steps::saturating_gradient_bound", "train::discriminator_steps::non_saturating_limit", "tabular::TabularDiscriminator"],
        check: discriminator_steps::f3,
    }
    F4 => f4_best_response_cycle {
        proof: "F4-best-response-cycle.md",
        statement: "Exact alternating best responses cycle: against D* the generator's best response is a point mass, so p_g never reaches p_data (for p_data = (1/2, 1/2) it alternates (1, 0), (0, 1), ...); mixing it in with a constant weight still cycles, with weights 1/(t+2) it converges as 1/t; gradient steps on C(G) converge for steps up to 2/lambda_max (8 there, from every start) and fall onto a 2-cycle above it",
        code: ["train::best_response::iterate_best_responses", "train::best_response::largest_stable_step", "tabular::TabularGenerator"],
        check: best_response::f4,
    }
    F5 => f5_patchgan {
        proof: "F5-patchgan.md",
        statement: "PatchGAN: a discriminator scoring every k x k window with shared weights and averaged losses has its optimum at the pattern-level D* = P/(P + Q) of the position-averaged window distributions P, Q and value -ln 4 + 2 JSD(P || Q) <= the per-position value <= C(G) of whole images; it is at its minimum -ln 4 for every generator whose averaged windows match the data's, even with disjoint images (3 x 3 binary images, 2 x 2 windows: even against odd parity)",
        code: ["variants::patchgan::PatchGame", "variants::patchgan::parity_images"],
        check: patchgan::f5,
    }
    F6 => f6_gradient_penalty {
        proof: "F6-gradient-penalty.md",
        statement: "Gulrajani et al. Prop. 1: every optimal critic has slope 1 along the segments of an optimal plan, and all agree there; the penalty's independent pairs are mostly not coupled, and off the plan optimal critics differ (F+, F- with norm 1 a.e., their midpoint with norm < 1); on the line the penalised optimum is W1 + (1/(4 lambda)) sum l h^2 / rho, above W1 by at least W1^2/(4 lambda), with equality for length-biased coupled sampling",
        code: ["transport::emd", "transport::potential::KrPotential"],
        check: penalty::f6,
    }
    F7 => f7_least_squares_slope {
        proof: "F7-least-squares-slope.md",
        statement: "The least-squares loss's slope: as point masses (or segments) move apart, the minimax generator gradient against a logistic D fitted towards its optimum is (2m/Delta) sigma(-m) at logit margin m, exponentially small and 0 in the limit of the fit; LSGAN's affine D fitted by least squares gives -w(1/2 + w Delta/2), w = Delta/(Delta^2 + 4h^2/3), exactly -1/Delta for point masses; at the unrestricted D* both criteria are flat on disjoint supports (JSD = ln 2, T = 1), so the nonzero slope comes from restricting D",
        code: ["variants::affine::logistic_ascent", "variants::affine::Logistic", "variants::affine::least_squares_fit", "variants::affine::Affine", "variants::lsgan::lsgan_divergence"],
        check: slope::f7,
    }
    G1 => g1_mode_collapse {
        proof: "G1-mode-collapse.md",
        statement: "Mode collapse on the 2-D ring (8 Gaussians, sd 0.01) with trained MLPs: the non-saturating GAN with the R1 penalty captures at least 7 of 8 modes in at least 2 of 10 seeds and has a reverse KL of the mode histogram at least 0.01 nat below the same GAN without it, from the same seed, in at least 4 of 10 (empirical, with a calibrated false-alarm rate)",
        code: ["train::modes::run", "train::mixtures::evaluate", "train::mixtures::Mixture"],
        check: modes::g1,
    }
}
