//! The Kantorovich-Rubinstein potential: a 1-Lipschitz f built from the dual
//! potentials of a metric cost, with E_p f - E_q f = W1.
