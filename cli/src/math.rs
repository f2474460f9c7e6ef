//! The C math functions the program calls (`exp`, `log`, `pow`, `sin`, ...),
//! defined here from the `libm` crate, so that the linker binds the program's
//! calls to them instead of to the C library's.
//!
//! Why: `f64::exp`, `f64::ln` and the like are calls to the C library, and
//! so are the same calls inside the crates the program uses (statrs, argmin).
//! glibc picks at run time, by the CPU, between variants of several of them
//! (FMA variants of `exp`, `log`, `pow`, `sin`, `cos`, ...) that round
//! differently on some arguments, and other versions of the C library have
//! other implementations. With them, `verify --json` and the report would
//! change in the last digits from one machine to another. `libm` (the Rust
//! port of musl's math library, by the Rust project) is plain Rust
//! arithmetic, compiled into the binary: the same bits on every x86-64 CPU,
//! whatever the C library. `scripts/cpu-independence` checks that the binary
//! imports none of these functions.
//!
//! Each is `#[unsafe(no_mangle)]` (it defines a C symbol); `sincos` writes
//! through the two pointers its C contract gives it. Nothing else here is
//! unsafe.

macro_rules! c_math {
    ($($name:ident($($arg:ident),+) -> $t:ty;)+) => {$(
        #[doc = concat!("The C `", stringify!($name), "`: `libm::", stringify!($name), "`.")]
        #[unsafe(no_mangle)]
        pub extern "C" fn $name($($arg: $t),+) -> $t {
            libm::$name($($arg),+)
        }
    )+};
}

c_math! {
    acos(x) -> f64;
    asin(x) -> f64;
    atan(x) -> f64;
    atan2(y, x) -> f64;
    cbrt(x) -> f64;
    cos(x) -> f64;
    cosh(x) -> f64;
    exp(x) -> f64;
    exp2(x) -> f64;
    exp10(x) -> f64;
    expm1(x) -> f64;
    hypot(x, y) -> f64;
    log(x) -> f64;
    log10(x) -> f64;
    log1p(x) -> f64;
    log2(x) -> f64;
    pow(x, y) -> f64;
    sin(x) -> f64;
    sinh(x) -> f64;
    tan(x) -> f64;
    tanh(x) -> f64;
    acosf(x) -> f32;
    asinf(x) -> f32;
    atanf(x) -> f32;
    atan2f(y, x) -> f32;
    cbrtf(x) -> f32;
    cosf(x) -> f32;
    coshf(x) -> f32;
    expf(x) -> f32;
    exp2f(x) -> f32;
    exp10f(x) -> f32;
    expm1f(x) -> f32;
    hypotf(x, y) -> f32;
    logf(x) -> f32;
    log10f(x) -> f32;
    log1pf(x) -> f32;
    log2f(x) -> f32;
    powf(x, y) -> f32;
    sinf(x) -> f32;
    sinhf(x) -> f32;
    tanf(x) -> f32;
    tanhf(x) -> f32;
}

/// The C `sincos`: `libm::sincos`, written through the two pointers.
///
/// # Safety
/// `sin` and `cos` are valid for writing an `f64` each (the C contract; the
/// compiler emits this call for a `sin` and a `cos` of the same argument).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sincos(x: f64, sin: *mut f64, cos: *mut f64) {
    let (s, c) = libm::sincos(x);
    // SAFETY: the caller's contract above.
    unsafe {
        sin.write(s);
        cos.write(c);
    }
}

/// The C `sincosf`: `libm::sincosf`, written through the two pointers.
///
/// # Safety
/// As [`sincos`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sincosf(x: f32, sin: *mut f32, cos: *mut f32) {
    let (s, c) = libm::sincosf(x);
    // SAFETY: the caller's contract above.
    unsafe {
        sin.write(s);
        cos.write(c);
    }
}
