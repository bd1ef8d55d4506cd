// qaio-scope --bench: the viewer figures of bench/ (headless continuous
// averaging with both plots live), printed as bench lines.
#pragma once

class ScopeWindow;

// Runs `reps` repetitions of `seconds` of continuous averaging on w, with
// max/min hold and the waterfall on, and prints viewer_lag_p99,
// viewer_redraws, viewer_acquisitions and viewer_waterfall_frames lines.
// Returns the process exit status.
int runBench(ScopeWindow *w, double seconds, int reps);
