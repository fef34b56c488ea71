package pgstore

// SetBeforeDial makes s's listener call f before each connection attempt,
// so that a test can hold it disconnected.
func SetBeforeDial(s *Store, f func()) { s.listener.beforeDial = f }
