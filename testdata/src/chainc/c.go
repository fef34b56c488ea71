package chainc

import "chainb"

func C() { chainb.B() } // want C:`blocks\(chainb.B → chaina.A → time.Sleep\)`
