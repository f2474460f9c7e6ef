//! First-order optimisers for the models: SGD with momentum and Adam.
