package main

import (
	"fmt"
	"os"
	"path/filepath"

	"callcoach/audio/audiotest/callgen"
)

func corpusMode() {
	dir := os.Args[1]
	os.MkdirAll(dir, 0o700)
	calls, err := callgen.ScriptCorpus(callgen.ScriptConditions()[1], 6, 1, 5, 0)
	if err != nil {
		panic(err)
	}
	for _, c := range calls {
		rep, cust, _ := callgen.Render(c.Scenario, c.Render)
		p := filepath.Join(dir, c.Name+".wav")
		if err := callgen.WriteStereoWAV(p, c.Render.Rate, rep, cust); err != nil {
			panic(err)
		}
		fmt.Println(p, c.Passages)
	}
}
