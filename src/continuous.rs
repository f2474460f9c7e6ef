//! One-dimensional continuous densities and divergences by quadrature (stub).
