using Shopcast.Data;

namespace Shopcast.Tests.Server;

/// <summary>What the journal's all-or-nothing groups rest on: DuckDB's appender rows belong to the open transaction.</summary>
public sealed class EventJournalTests
{
    [Fact]
    public void Appender_rows_inside_a_rolled_back_transaction_are_not_stored()
    {
        using var tmp = new TestData.TempDir();
        using (var store = EventStore.Open(tmp["j.duckdb"]))
        {
            store.Execute("CREATE TABLE t (x BIGINT)");
            store.Execute("BEGIN TRANSACTION");
            using (var appender = store.Connection.CreateAppender("t"))
            {
                for (int i = 0; i < 10; i++) appender.CreateRow().AppendValue((long)i).EndRow();
                appender.Close();
            }
            store.Execute("ROLLBACK");
            Assert.Equal(0L, store.Scalar<long>("SELECT count(*) FROM t"));
            store.Execute("BEGIN TRANSACTION");
            using (var appender = store.Connection.CreateAppender("t"))
            {
                for (int i = 0; i < 10; i++) appender.CreateRow().AppendValue((long)i).EndRow();
                appender.Close();
            }
            store.Execute("COMMIT");
        }
        using var again = EventStore.Open(tmp["j.duckdb"]);
        Assert.Equal(10L, again.Scalar<long>("SELECT count(*) FROM t"));
    }
}
