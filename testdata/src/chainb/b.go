package chainb

import "chaina"

func B() { chaina.A() } // want B:`blocks\(chaina.A → time.Sleep\)`
