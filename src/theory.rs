//! Exact queueing results (placeholder).
