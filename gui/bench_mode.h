// qaio-scope --bench: the viewer figures of bench/ (headless continuous
// averaging with both plots live), printed as bench lines.
#pragma once

class ScopeWindow;

// Runs `reps` repetitions of `seconds` of continuous averaging on w and
// prints viewer_lag_p99, viewer_redraws and viewer_acquisitions lines.
// Returns the process exit status.
int runBench(ScopeWindow *w, double seconds, int reps);
