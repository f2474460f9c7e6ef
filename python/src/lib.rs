//! `gan_theory._native`: the compiled half of the `gan_theory` Python
//! package. The public functions, their docstrings and argument handling live
//! in `python/gan_theory/__init__.py`; these functions take float64 numpy
//! arrays (any layout), validate them with the library, and compute with the
//! GIL released.
//!
//! Conventions, for every function here:
//! - arrays are read in place when contiguous (zero copy), else copied once;
//! - a library error raises `ValueError` with the library's message, prefixed
//!   by the argument it concerns (`"p: index 1 is negative (-0.5)"`);
//! - the work runs with the GIL released (`Python::detach`), inside
//!   `catch_unwind`: a panic (a bug of ours, never expected) raises
//!   `RuntimeError` instead of unwinding into the interpreter.

mod halves;

use std::any::Any;
use std::borrow::Cow;
use std::panic::{AssertUnwindSafe, catch_unwind};

use gan_theory::claims::{self, Comparison, Context, Measurement, Outcome};
use gan_theory::transport::{self, CostMatrix, EmdOptions, line};
use gan_theory::{Discrete, Discriminator, Error, divergence, game};
use numpy::ndarray::{Array2, ArrayView2};
use numpy::{
    IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1, PyReadonlyArray2, PyUntypedArrayMethods,
};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// A refusal: the message `ValueError` carries.
type Refusal = String;

/// `"{name}: {error}"`: the library's message, naming the argument.
fn named(name: &str) -> impl Fn(Error) -> Refusal + '_ {
    move |e| format!("{name}: {e}")
}

/// The panic's message, if it carried one.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "(no message)"
    }
}

/// Runs `work` with the GIL released. A refusal becomes `ValueError`, a
/// panic `RuntimeError`.
fn released<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> Result<T, Refusal> + Send,
) -> PyResult<T> {
    match py.detach(|| catch_unwind(AssertUnwindSafe(work))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(refusal)) => Err(PyValueError::new_err(refusal)),
        Err(payload) => Err(PyRuntimeError::new_err(format!(
            "gan_theory internal error (a bug, please report it): {}",
            panic_message(payload.as_ref())
        ))),
    }
}

/// The entries of a 1-D array: borrowed when contiguous, else copied.
fn entries<'a>(array: &'a PyReadonlyArray1<'_, f64>) -> Cow<'a, [f64]> {
    match array.as_slice() {
        Ok(slice) => Cow::Borrowed(slice),
        Err(_) => Cow::Owned(array.as_array().to_vec()),
    }
}

/// A 2-D array's rows and columns and its entries in row-major order:
/// borrowed when C-contiguous, else read in logical order.
enum Matrix<'a> {
    Contiguous(usize, usize, &'a [f64]),
    Strided(ArrayView2<'a, f64>),
}

impl<'a> Matrix<'a> {
    fn of(array: &'a PyReadonlyArray2<'_, f64>) -> Self {
        let view = array.as_array();
        // `as_slice` also accepts Fortran order, whose memory order is the transpose's.
        match array.as_slice() {
            Ok(slice) if array.is_c_contiguous() => {
                Matrix::Contiguous(view.nrows(), view.ncols(), slice)
            }
            _ => Matrix::Strided(view),
        }
    }

    fn shape(&self) -> (usize, usize) {
        match self {
            Matrix::Contiguous(rows, cols, _) => (*rows, *cols),
            Matrix::Strided(view) => view.dim(),
        }
    }

    /// The library's cost matrix (it owns its entries: one copy).
    fn cost(&self) -> Result<CostMatrix, Error> {
        let (rows, cols) = self.shape();
        let data = match self {
            Matrix::Contiguous(_, _, slice) => slice.to_vec(),
            Matrix::Strided(view) => view.iter().copied().collect(),
        };
        CostMatrix::new(rows, cols, data)
    }
}

/// Inputs from this many entries are computed on two threads (the pieces of
/// `jensenshannon`, see `halves`; the two samples of
/// `wasserstein_distance`). Reason: spawning a scoped thread costs tens of
/// microseconds, normalising or sorting 2^16 entries some hundreds; below
/// that the thread does not pay for itself.
const TWO_THREADS_FROM: usize = 1 << 16;

/// `(left(), right())`, computed on two threads when `two_threads` (the
/// machine's second core does one of them; a panic in either propagates).
fn both<A: Send, B>(
    two_threads: bool,
    left: impl FnOnce() -> A + Send,
    right: impl FnOnce() -> B,
) -> (A, B) {
    if !two_threads {
        let a = left();
        return (a, right());
    }
    std::thread::scope(|scope| {
        let handle = scope.spawn(left);
        let b = right();
        let a = handle
            .join()
            .unwrap_or_else(|payload| std::panic::resume_unwind(payload));
        (a, b)
    })
}

/// A validated probability vector (sums to 1; never rescaled).
fn distribution(name: &str, values: &[f64]) -> Result<Discrete, Refusal> {
    Discrete::new(values.to_vec()).map_err(named(name))
}

/// The length check the library makes, made first.
fn same_length(left: usize, right: usize) -> Result<(), Refusal> {
    if left == right {
        Ok(())
    } else {
        Err(Error::LengthMismatch { left, right }.to_string())
    }
}

/// The exact Earth Mover distance: everything the library returns, as a dict
/// (`cost`, `rows`, `cols`, `masses`, `u`, `v`, `certificate`, `pivots`,
/// `exact_pivots`, and `plan`, the dense plan, when `dense`).
#[pyfunction]
#[pyo3(signature = (a, b, m, normalize=false, max_iterations=None, dense=false))]
fn emd<'py>(
    py: Python<'py>,
    a: PyReadonlyArray1<'py, f64>,
    b: PyReadonlyArray1<'py, f64>,
    m: PyReadonlyArray2<'py, f64>,
    normalize: bool,
    max_iterations: Option<usize>,
    dense: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let (a, b, m) = (entries(&a), entries(&b), Matrix::of(&m));
    let (t, plan) = released(py, || {
        transport::check_masses(&a).map_err(named("a"))?;
        transport::check_masses(&b).map_err(named("b"))?;
        let (rows, cols) = m.shape();
        if (rows, cols) != (a.len(), b.len()) {
            return Err(Error::ShapeMismatch {
                rows,
                cols,
                expected_rows: a.len(),
                expected_cols: b.len(),
            }
            .to_string());
        }
        let cost = m.cost().map_err(named("M"))?;
        let options = EmdOptions {
            normalize,
            max_iterations,
        };
        let t = transport::emd_with(&*a, &*b, &cost, &options).map_err(|e| e.to_string())?;
        let plan = dense.then(|| {
            let mut flat = vec![0.0; rows * cols];
            for e in &t.plan {
                flat[e.i * cols + e.j] += e.mass;
            }
            Array2::from_shape_vec((rows, cols), flat).expect("rows * cols entries")
        });
        Ok((t, plan))
    })?;
    let c = &t.certificate;
    let certificate = PyDict::new(py);
    certificate.set_item("mass_total", c.mass_total)?;
    certificate.set_item("max_marginal_error", c.max_marginal_error)?;
    certificate.set_item("marginal_tolerance", c.marginal_tolerance)?;
    certificate.set_item("max_dual_violation", c.max_dual_violation)?;
    certificate.set_item("dual_violation_ratio", c.dual_violation_ratio)?;
    certificate.set_item("primal_cost", c.primal_cost)?;
    certificate.set_item("dual_objective", c.dual_objective)?;
    certificate.set_item("gap", c.gap)?;
    certificate.set_item("gap_tolerance", c.gap_tolerance)?;
    certificate.set_item("passed", c.passed)?;
    let out = PyDict::new(py);
    out.set_item("cost", t.cost)?;
    let index = |f: fn(&transport::PlanEntry) -> usize| -> Vec<i64> {
        t.plan.iter().map(|e| f(e) as i64).collect()
    };
    out.set_item("rows", index(|e| e.i).into_pyarray(py))?;
    out.set_item("cols", index(|e| e.j).into_pyarray(py))?;
    let masses: Vec<f64> = t.plan.iter().map(|e| e.mass).collect();
    out.set_item("masses", masses.into_pyarray(py))?;
    out.set_item("u", PyArray1::from_slice(py, &t.u))?;
    out.set_item("v", PyArray1::from_slice(py, &t.v))?;
    out.set_item("certificate", certificate)?;
    out.set_item("pivots", t.pivots)?;
    out.set_item("exact_pivots", t.exact_pivots)?;
    let plan: Option<Bound<'py, PyArray2<f64>>> = plan.map(|p| p.into_pyarray(py));
    out.set_item("plan", plan)?;
    Ok(out)
}

/// Which argument of a weighted sample is bad, for the error message of
/// `wasserstein_distance` (only called once the library has refused).
fn sample_refusal(
    values: &[f64],
    weights: Option<&[f64]>,
    values_name: &str,
    weights_name: &str,
) -> Option<Refusal> {
    if let Err(e) = line::LineSample::new(values) {
        return Some(named(values_name)(e));
    }
    let weights = weights?;
    if weights.len() != values.len() {
        let e = Error::LengthMismatch {
            left: values.len(),
            right: weights.len(),
        };
        return Some(format!("{values_name} and {weights_name}: {e}"));
    }
    Discrete::from_weights(weights)
        .err()
        .map(named(weights_name))
}

/// W1 between two weighted samples on the line (weights normalised, as scipy).
#[pyfunction]
#[pyo3(signature = (u_values, v_values, u_weights=None, v_weights=None))]
fn w1_samples<'py>(
    py: Python<'py>,
    u_values: PyReadonlyArray1<'py, f64>,
    v_values: PyReadonlyArray1<'py, f64>,
    u_weights: Option<PyReadonlyArray1<'py, f64>>,
    v_weights: Option<PyReadonlyArray1<'py, f64>>,
) -> PyResult<f64> {
    let (u, v) = (entries(&u_values), entries(&v_values));
    let uw = u_weights.as_ref().map(entries);
    let vw = v_weights.as_ref().map(entries);
    released(py, || {
        let (a, b) = both(
            u.len().max(v.len()) >= TWO_THREADS_FROM,
            || line_sample(&u, uw.as_deref(), "u_values", "u_weights"),
            || line_sample(&v, vw.as_deref(), "v_values", "v_weights"),
        );
        Ok(line::w1(&a?, &b?))
    })
}

/// One sample of `wasserstein_distance`: the library's `LineSample`, values
/// checked before weights (as `line::w1_samples` does), weights normalised.
fn line_sample(
    values: &[f64],
    weights: Option<&[f64]>,
    values_name: &str,
    weights_name: &str,
) -> Result<line::LineSample, Refusal> {
    let sample = match weights {
        None => line::LineSample::new(values),
        Some(w) => Discrete::from_weights(w).and_then(|w| line::LineSample::weighted(values, &w)),
    };
    sample.map_err(|e| {
        sample_refusal(values, weights, values_name, weights_name).unwrap_or_else(|| e.to_string())
    })
}

/// The Jensen-Shannon distance sqrt(JSD / ln base) of `p` and `q`, each
/// normalised to sum 1 (`base` `None`: nats).
#[pyfunction]
#[pyo3(signature = (p, q, base=None))]
fn js_distance_normalised<'py>(
    py: Python<'py>,
    p: PyReadonlyArray1<'py, f64>,
    q: PyReadonlyArray1<'py, f64>,
    base: Option<f64>,
) -> PyResult<f64> {
    let (p, q) = (entries(&p), entries(&q));
    released(py, || {
        let scale = match base {
            None => 1.0,
            Some(base) if base.is_finite() && base > 0.0 && base != 1.0 => base.ln(),
            Some(value) => {
                return Err(Error::InvalidParameter {
                    name: "base",
                    value,
                    requirement: "the base of the logarithm must be finite, positive and not 1",
                }
                .to_string());
            }
        };
        same_length(p.len(), q.len())?;
        if p.len() >= TWO_THREADS_FROM {
            if let Some(jsd) = halves::js_of_weights(&p, &q) {
                return Ok((jsd / scale).sqrt());
            }
        }
        // Short inputs, and the library's error (or its overflow-safe
        // normalisation) for inputs the two-thread path does not take.
        let p = Discrete::from_weights(&p).map_err(named("p"))?;
        let q = Discrete::from_weights(&q).map_err(named("q"))?;
        let jsd = divergence::js(&p, &q).map_err(|e| e.to_string())?;
        Ok((jsd / scale).sqrt())
    })
}

/// A divergence of two validated distributions (never normalised).
fn divergence_of(
    py: Python<'_>,
    names: (&str, &str),
    p: &PyReadonlyArray1<'_, f64>,
    q: &PyReadonlyArray1<'_, f64>,
    f: fn(&Discrete, &Discrete) -> gan_theory::Result<f64>,
) -> PyResult<f64> {
    let (p, q) = (entries(p), entries(q));
    released(py, || {
        let p = distribution(names.0, &p)?;
        let q = distribution(names.1, &q)?;
        f(&p, &q).map_err(|e| e.to_string())
    })
}

/// KL(p || q) in nats.
#[pyfunction]
fn kl(py: Python<'_>, p: PyReadonlyArray1<'_, f64>, q: PyReadonlyArray1<'_, f64>) -> PyResult<f64> {
    divergence_of(py, ("p", "q"), &p, &q, divergence::kl)
}

/// JSD(p || q) in nats.
#[pyfunction]
fn js(py: Python<'_>, p: PyReadonlyArray1<'_, f64>, q: PyReadonlyArray1<'_, f64>) -> PyResult<f64> {
    divergence_of(py, ("p", "q"), &p, &q, divergence::js)
}

/// Total variation 1/2 sum |p - q|.
#[pyfunction]
fn tv(py: Python<'_>, p: PyReadonlyArray1<'_, f64>, q: PyReadonlyArray1<'_, f64>) -> PyResult<f64> {
    divergence_of(py, ("p", "q"), &p, &q, divergence::total_variation)
}

/// Pearson chi2(p || q).
#[pyfunction]
fn chi2(
    py: Python<'_>,
    p: PyReadonlyArray1<'_, f64>,
    q: PyReadonlyArray1<'_, f64>,
) -> PyResult<f64> {
    divergence_of(py, ("p", "q"), &p, &q, divergence::chi2)
}

/// Squared Hellinger distance 1/2 sum (sqrt p - sqrt q)^2.
#[pyfunction]
fn hellinger(
    py: Python<'_>,
    p: PyReadonlyArray1<'_, f64>,
    q: PyReadonlyArray1<'_, f64>,
) -> PyResult<f64> {
    divergence_of(py, ("p", "q"), &p, &q, divergence::hellinger2)
}

/// C(G) = V(D*, G).
#[pyfunction]
fn c_of_g(
    py: Python<'_>,
    p_data: PyReadonlyArray1<'_, f64>,
    p_g: PyReadonlyArray1<'_, f64>,
) -> PyResult<f64> {
    divergence_of(py, ("p_data", "p_g"), &p_data, &p_g, game::c_of_g)
}

/// D* = p_data / (p_data + p_g), NaN where both are 0.
#[pyfunction]
fn d_star<'py>(
    py: Python<'py>,
    p_data: PyReadonlyArray1<'py, f64>,
    p_g: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let (p, q) = (entries(&p_data), entries(&p_g));
    let d = released(py, || {
        let p = distribution("p_data", &p)?;
        let q = distribution("p_g", &q)?;
        let d = game::d_star(&p, &q).map_err(|e| e.to_string())?;
        Ok(d.into_iter()
            .map(|x| x.unwrap_or(f64::NAN))
            .collect::<Vec<f64>>())
    })?;
    Ok(d.into_pyarray(py))
}

/// V(D, G) = E_pdata ln D + E_pg ln(1 - D), D given by its values in [0, 1].
#[pyfunction]
fn value(
    py: Python<'_>,
    p_data: PyReadonlyArray1<'_, f64>,
    p_g: PyReadonlyArray1<'_, f64>,
    d: PyReadonlyArray1<'_, f64>,
) -> PyResult<f64> {
    let (p, q, d) = (entries(&p_data), entries(&p_g), entries(&d));
    released(py, || {
        let p = distribution("p_data", &p)?;
        let q = distribution("p_g", &q)?;
        let d = Discriminator::from_probabilities(d.to_vec()).map_err(named("d"))?;
        game::value(&p, &q, &d).map_err(|e| e.to_string())
    })
}

/// One measurement of one claim as a dict.
fn measurement_dict<'py>(
    py: Python<'py>,
    outcome: &Outcome,
    m: &Measurement,
) -> PyResult<Bound<'py, PyDict>> {
    // Every public field of Measurement, destructured so that a new field
    // fails to compile here until it is bound.
    let Measurement {
        quantity,
        measured,
        expected,
        tolerance,
        comparison,
        passed,
        false_alarm,
    } = m;
    let (comparison, low, high) = match *comparison {
        Comparison::Within => ("within", None, None),
        Comparison::AtMost => ("at_most", None, None),
        Comparison::AtLeast => ("at_least", None, None),
        Comparison::Between { low, high } => ("between", Some(low), Some(high)),
    };
    let d = PyDict::new(py);
    d.set_item("claim", outcome.id)?;
    d.set_item("statement", outcome.claim)?;
    d.set_item("proof", outcome.proof)?;
    d.set_item("quantity", quantity)?;
    d.set_item("measured", measured)?;
    d.set_item("expected", expected)?;
    d.set_item("tolerance", tolerance)?;
    d.set_item("comparison", comparison)?;
    d.set_item("low", low)?;
    d.set_item("high", high)?;
    d.set_item("passed", passed)?;
    d.set_item("false_alarm", false_alarm)?;
    d.set_item("error", None::<String>)?;
    Ok(d)
}

/// Runs the claims (all, or those named) with the given seed: one dict per
/// measurement, and one per claim whose check stopped with an error.
#[pyfunction]
#[pyo3(signature = (seed=2014, ids=None))]
fn verify<'py>(
    py: Python<'py>,
    seed: u64,
    ids: Option<Vec<String>>,
) -> PyResult<Bound<'py, PyList>> {
    let outcomes = released(py, || {
        let registry = claims::all();
        let chosen: Vec<claims::Claim> = match ids {
            None => registry,
            Some(ids) => ids
                .iter()
                .map(|id| {
                    registry
                        .iter()
                        .find(|c| c.id == id)
                        .copied()
                        .ok_or_else(|| {
                            let known: Vec<&str> = registry.iter().map(|c| c.id).collect();
                            format!("no claim {id:?}; the claims are {}", known.join(", "))
                        })
                })
                .collect::<Result<_, _>>()?,
        };
        let context = Context { seed };
        Ok(chosen
            .iter()
            .map(|c| c.run(&context))
            .collect::<Vec<Outcome>>())
    })?;
    let out = PyList::empty(py);
    for outcome in &outcomes {
        for m in &outcome.measurements {
            out.append(measurement_dict(py, outcome, m)?)?;
        }
        if outcome.error.is_some() || outcome.measurements.is_empty() {
            let d = PyDict::new(py);
            d.set_item("claim", outcome.id)?;
            d.set_item("statement", outcome.claim)?;
            d.set_item("proof", outcome.proof)?;
            d.set_item("quantity", "the check itself")?;
            for key in ["measured", "expected", "tolerance", "false_alarm"] {
                d.set_item(key, f64::NAN)?;
            }
            for key in ["comparison", "low", "high"] {
                d.set_item(key, None::<f64>)?;
            }
            d.set_item("passed", false)?;
            let error = outcome
                .error
                .clone()
                .unwrap_or_else(|| "the check returned no measurement".to_string());
            d.set_item("error", error)?;
            out.append(d)?;
        }
    }
    Ok(out)
}

/// A test hook (not public API): panics inside `released`, so that the tests
/// can check that a panic becomes `RuntimeError` and the interpreter lives on.
#[pyfunction]
fn _panic_for_tests(py: Python<'_>, message: String) -> PyResult<()> {
    released(py, move || -> Result<(), Refusal> { panic!("{message}") })
}

/// The compiled half of the `gan_theory` package (see its docstrings).
#[pymodule]
mod _native {
    #[pymodule_export]
    use super::{
        _panic_for_tests, c_of_g, chi2, d_star, emd, hellinger, js, js_distance_normalised, kl, tv,
        value, verify, w1_samples,
    };

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
