// Package mongo stands in for go.mongodb.org/mongo-driver/mongo.
package mongo

import "context"

type Client struct{}

type Database struct{}

type Collection struct{}

type SingleResult struct{}

type Cursor struct{}

func (c *Client) Database(name string) *Database                               { return &Database{} }
func (c *Client) Ping(ctx context.Context, rp any) error                       { return nil }
func (d *Database) Collection(name string) *Collection                         { return &Collection{} }
func (c *Collection) Name() string                                             { return "" }
func (c *Collection) FindOne(ctx context.Context, filter any) *SingleResult    { return &SingleResult{} }
func (c *Collection) Find(ctx context.Context, filter any) (*Cursor, error)    { return &Cursor{}, nil }
func (c *Collection) InsertOne(ctx context.Context, doc any) (any, error)      { return nil, nil }
func (c *Collection) UpdateOne(ctx context.Context, f, u any) (any, error)     { return nil, nil }
func (c *Collection) CountDocuments(ctx context.Context, f any) (int64, error) { return 0, nil }
func (r *SingleResult) Decode(v any) error                                     { return nil }
func (c *Cursor) All(ctx context.Context, results any) error                   { return nil }
func Connect(ctx context.Context, opts ...any) (*Client, error)                { return &Client{}, nil }
