//! Tabular models on a finite support, for exact checks: a discriminator with
//! one logit per support point and a generator given by softmax logits.
