// Package models checks the shipped models of popular clients: each
// finisher or command that makes a round trip blocks; builders do not.
package models

import (
	"context"
	"net/http"
	"net/smtp"

	redis8 "github.com/go-redis/redis/v8"
	redigo "github.com/gomodule/redigo/redis"
	pgx4 "github.com/jackc/pgx/v4"
	pgxpool4 "github.com/jackc/pgx/v4/pgxpool"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	jgorm "github.com/jinzhu/gorm"
	"github.com/jmoiron/sqlx"
	"github.com/redis/go-redis/v9"
	mongo1 "go.mongodb.org/mongo-driver/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"google.golang.org/grpc"
	"gorm.io/gorm"

	"sessionlib"
)

type User struct{ ID int }

func gormV2(w http.ResponseWriter, r *http.Request, db *gorm.DB) {
	s := sessionlib.FromContext(r.Context())
	var u User
	q := db.WithContext(r.Context()).Model(&u).Where("id = ?", s.Get("uid")).Order("id").Limit(1)
	q.First(&u)                   // want `\(\*gorm.io/gorm.DB\).First blocks while the session lock is held`
	db.Where("x").Find(&[]User{}) // want `\(\*gorm.io/gorm.DB\).Find blocks`
	db.Take(&u)                   // want `\(\*gorm.io/gorm.DB\).Take blocks`
	db.Create(&u)                 // want `\(\*gorm.io/gorm.DB\).Create blocks`
	db.Save(&u)                   // want `\(\*gorm.io/gorm.DB\).Save blocks`
	db.Model(&u).Update("a", 1)   // want `\(\*gorm.io/gorm.DB\).Update blocks`
	db.Model(&u).Updates(u)       // want `\(\*gorm.io/gorm.DB\).Updates blocks`
	db.Delete(&u)                 // want `\(\*gorm.io/gorm.DB\).Delete blocks`
	var n int64
	db.Model(&u).Count(&n)                   // want `\(\*gorm.io/gorm.DB\).Count blocks`
	db.Model(&u).Pluck("id", &n)             // want `\(\*gorm.io/gorm.DB\).Pluck blocks`
	db.Raw("select 1").Scan(&n)              // want `\(\*gorm.io/gorm.DB\).Scan blocks`
	db.Exec("delete from t")                 // want `\(\*gorm.io/gorm.DB\).Exec blocks`
	db.Association("Roles").Append(&u)       // want `\(\*gorm.io/gorm.Association\).Append blocks`
	db.Transaction(func(tx *gorm.DB) error { // want `\(\*gorm.io/gorm.DB\).Transaction blocks`
		return nil
	})
	_ = db.Session(&gorm.Session{}).Preload("Roles")
}

func gormV1(w http.ResponseWriter, r *http.Request, db *jgorm.DB) {
	_ = sessionlib.FromContext(r.Context())
	var u User
	db.Where("id = ?", 1).First(&u) // want `\(\*github.com/jinzhu/gorm.DB\).First blocks`
	db.Model(&u).Updates(u)         // want `\(\*github.com/jinzhu/gorm.DB\).Updates blocks`
	tx := db.Begin()                // want `\(\*github.com/jinzhu/gorm.DB\).Begin blocks`
	tx.Commit()                     // want `\(\*github.com/jinzhu/gorm.DB\).Commit blocks`
	var perms []string
	db.Model(&u).Association("Permissions").Find(&perms) // want `\(\*github.com/jinzhu/gorm.Association\).Find blocks`
	db.Model(&u).Association("Roles").Count()            // want `\(\*github.com/jinzhu/gorm.Association\).Count blocks`
}

func withSqlx(w http.ResponseWriter, r *http.Request, db *sqlx.DB) {
	_ = sessionlib.FromContext(r.Context())
	var u User
	q := db.Rebind("select * from users where id = ?")
	db.Get(&u, q, 1)                     // want `\(\*github.com/jmoiron/sqlx.DB\).Get blocks`
	db.SelectContext(r.Context(), &u, q) // want `\(\*github.com/jmoiron/sqlx.DB\).SelectContext blocks`
	db.NamedExec("update", u)            // want `\(\*github.com/jmoiron/sqlx.DB\).NamedExec blocks`
	db.QueryRow(q)                       // want `\(\*database/sql.DB\).QueryRow blocks`
	tx, _ := db.Beginx()                 // want `\(\*github.com/jmoiron/sqlx.DB\).Beginx blocks`
	tx.Get(&u, q)                        // want `\(\*github.com/jmoiron/sqlx.Tx\).Get blocks`
	tx.Commit()                          // want `\(\*database/sql.Tx\).Commit blocks`
	sqlx.Get(db, &u, q)                  // want `github.com/jmoiron/sqlx.Get blocks`
}

func withPgx(w http.ResponseWriter, r *http.Request, c *pgx.Conn, p *pgxpool.Pool, c4 *pgx4.Conn, p4 *pgxpool4.Pool) {
	_ = sessionlib.FromContext(r.Context())
	ctx := r.Context()
	_ = c.Config()
	c.Exec(ctx, "update")     // want `\(\*github.com/jackc/pgx/v5.Conn\).Exec blocks`
	c.QueryRow(ctx, "select") // want `\(\*github.com/jackc/pgx/v5.Conn\).QueryRow blocks`
	tx, _ := c.Begin(ctx)     // want `\(\*github.com/jackc/pgx/v5.Conn\).Begin blocks`
	tx.Exec(ctx, "insert")    // want `\(github.com/jackc/pgx/v5.Tx\).Exec blocks`
	tx.Commit(ctx)            // want `\(github.com/jackc/pgx/v5.Tx\).Commit blocks`
	_ = tx.Conn()
	p.QueryRow(ctx, "select") // want `\(\*github.com/jackc/pgx/v5/pgxpool.Pool\).QueryRow blocks`
	conn, _ := p.Acquire(ctx) // want `\(\*github.com/jackc/pgx/v5/pgxpool.Pool\).Acquire blocks`
	conn.Exec(ctx, "x")       // want `\(\*github.com/jackc/pgx/v5/pgxpool.Conn\).Exec blocks`
	conn.Release()
	_ = p.Stat()
	c4.Query(ctx, "select")      // want `\(\*github.com/jackc/pgx/v4.Conn\).Query blocks`
	p4.Exec(ctx, "x")            // want `\(\*github.com/jackc/pgx/v4/pgxpool.Pool\).Exec blocks`
	pgxpool4.Connect(ctx, "dsn") // want `github.com/jackc/pgx/v4/pgxpool.Connect blocks`
	pgxpool.New(ctx, "dsn")      // lazy: no connection yet
	pgx.Connect(ctx, "dsn")      // want `github.com/jackc/pgx/v5.Connect blocks`
}

func withGoRedis(w http.ResponseWriter, r *http.Request, c *redis.Client, c8 *redis8.Client, ci redis.Cmdable) {
	_ = sessionlib.FromContext(r.Context())
	ctx := r.Context()
	_ = c.Options()
	c.Get(ctx, "k")       // want `\(github.com/redis/go-redis/v9.cmdable\).Get blocks`
	c.Set(ctx, "k", 1, 0) // want `\(github.com/redis/go-redis/v9.cmdable\).Set blocks`
	c.Do(ctx, "PING")     // want `\(\*github.com/redis/go-redis/v9.Client\).Do blocks`
	ci.Get(ctx, "k")      // want `\(github.com/redis/go-redis/v9.Cmdable\).Get blocks`
	pipe := c.Pipeline()
	pipe.Exec(ctx)   // want `\(github.com/redis/go-redis/v9.Pipeliner\).Exec blocks`
	c8.Get(ctx, "k") // want `\(github.com/go-redis/redis/v8.cmdable\).Get blocks`
	_ = redis.NewClient(&redis.Options{})
}

func withRedigo(w http.ResponseWriter, r *http.Request, pool *redigo.Pool) {
	_ = sessionlib.FromContext(r.Context())
	_ = pool.ActiveCount()
	conn := pool.Get()                   // want `\(\*github.com/gomodule/redigo/redis.Pool\).Get blocks`
	redigo.String(conn.Do("GET", "k"))   // want `\(github.com/gomodule/redigo/redis.Conn\).Do blocks`
	conn.Send("SET", "k", 1)             // buffered, no round trip
	conn.Flush()                         // want `\(github.com/gomodule/redigo/redis.Conn\).Flush blocks`
	redigo.Dial("tcp", "127.0.0.1:6379") // want `github.com/gomodule/redigo/redis.Dial blocks`
}

func withMongo(w http.ResponseWriter, r *http.Request, c *mongo.Client, c1 *mongo1.Client) {
	_ = sessionlib.FromContext(r.Context())
	ctx := r.Context()
	coll := c.Database("app").Collection("users")
	_ = coll.Name()
	var u User
	coll.FindOne(ctx, "f").Decode(&u)                       // want `\(\*go.mongodb.org/mongo-driver/v2/mongo.Collection\).FindOne blocks`
	cur, _ := coll.Find(ctx, "f")                           // want `\(\*go.mongodb.org/mongo-driver/v2/mongo.Collection\).Find blocks`
	cur.All(ctx, &u)                                        // want `\(\*go.mongodb.org/mongo-driver/v2/mongo.Cursor\).All blocks`
	coll.InsertOne(ctx, u)                                  // want `\(\*go.mongodb.org/mongo-driver/v2/mongo.Collection\).InsertOne blocks`
	c1.Database("app").Collection("u").UpdateOne(ctx, 1, 2) // want `\(\*go.mongodb.org/mongo-driver/mongo.Collection\).UpdateOne blocks`
	c1.Ping(ctx, nil)                                       // want `\(\*go.mongodb.org/mongo-driver/mongo.Client\).Ping blocks`
}

// userClient is what protoc-gen-go-grpc generates: a unary method calls
// Invoke through the ClientConnInterface, a stream receives through
// ClientStream.
type userClient struct{ cc grpc.ClientConnInterface }

type User2 struct{ Name string }

func (c *userClient) GetUser(ctx context.Context, in *User) (*User2, error) { // want GetUser:`blocks\(\(google.golang.org/grpc.ClientConnInterface\).Invoke\)`
	out := new(User2)
	err := c.cc.Invoke(ctx, "/users.Users/GetUser", in, out)
	return out, err
}

func (c *userClient) ListUsers(ctx context.Context, in *User) (*grpc.GenericClientStream[User, User2], error) {
	stream, err := c.cc.NewStream(ctx, &grpc.StreamDesc{StreamName: "ListUsers"}, "/users.Users/ListUsers")
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[User, User2]{ClientStream: stream}
	x.ClientStream.CloseSend()
	return x, nil
}

func withGRPC(w http.ResponseWriter, r *http.Request, cc *grpc.ClientConn, c *userClient) {
	_ = sessionlib.FromContext(r.Context())
	ctx := r.Context()
	c.GetUser(ctx, &User{})                // want `userClient.GetUser blocks while the session lock is held \(userClient.GetUser → \(google.golang.org/grpc.ClientConnInterface\).Invoke\)`
	stream, _ := c.ListUsers(ctx, &User{}) // a stream is opened without waiting
	stream.Recv()                          // want `\(\*google.golang.org/grpc.GenericClientStream\).Recv blocks`
	cc.Invoke(ctx, "/m", nil, nil)         // want `\(\*google.golang.org/grpc.ClientConn\).Invoke blocks`
	grpc.Invoke(ctx, "/m", nil, nil, cc)   // want `google.golang.org/grpc.Invoke blocks`
	cc.Close()
}

func withStd(w http.ResponseWriter, r *http.Request, c *smtp.Client, t *http.Transport, rt http.RoundTripper, req *http.Request) {
	_ = sessionlib.FromContext(r.Context())
	smtp.SendMail("127.0.0.1:25", nil, "a", nil, nil) // want `net/smtp.SendMail blocks`
	c.Mail("a@b")                                     // want `\(\*net/smtp.Client\).Mail blocks`
	t.RoundTrip(req)                                  // want `\(\*net/http.Transport\).RoundTrip blocks`
	rt.RoundTrip(req)                                 // want `\(net/http.RoundTripper\).RoundTrip blocks`
	http.NewRequest("GET", "/", nil)
}
