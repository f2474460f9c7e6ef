//! Small multilayer perceptrons on nalgebra: batched forward pass next to its
//! hand-written backward pass, gradients with respect to the parameters and
//! to the input.
