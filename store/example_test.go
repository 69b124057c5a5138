package store_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"callcoach/store"
)

// A new library comes with the seeded tags; annotations may add more.
func Example() {
	dir, err := os.MkdirTemp("", "callcoach-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	lib, err := store.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	defer lib.Close()
	ctx := context.Background()
	if _, err := lib.AddTag(ctx, "objection handled"); err != nil {
		log.Fatal(err)
	}
	tags, err := lib.Tags(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range tags {
		fmt.Println(t.Name)
	}
	n, _ := lib.CallCount(ctx, store.CallFilter{})
	fmt.Println(n, "calls")
	// Output:
	// good question
	// interrupted
	// let them talk
	// missed cue
	// objection handled
	// read the script
	// 0 calls
}
