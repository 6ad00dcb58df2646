package lever

import (
	"context"
	"fmt"
	"net/url"
)

// pageLimit is Lever's largest page size.
const pageLimit = 100

// listAll fetches every page of a list: limit=100, then offset=<next> while hasNext.
func listAll[T any](ctx context.Context, c *Client, path string, query url.Values) ([]T, error) {
	var all []T
	seen := map[string]bool{}
	offset := ""
	for {
		q := url.Values{}
		for k, v := range query {
			q[k] = v
		}
		q.Set("limit", fmt.Sprint(pageLimit))
		if offset != "" {
			q.Set("offset", offset)
		}
		var p page[T]
		if err := c.do(ctx, call{method: "GET", path: path, query: q, repeatable: true}, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Data...)
		if !p.HasNext || p.Next == "" {
			return all, nil
		}
		if seen[p.Next] {
			return nil, fmt.Errorf("lever: GET %s: pagination repeats a page token", path)
		}
		seen[p.Next] = true
		offset = p.Next
	}
}
