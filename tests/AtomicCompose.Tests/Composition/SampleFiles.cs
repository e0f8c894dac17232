namespace AtomicCompose.Tests.Composition;

/// <summary>Realistic files in old and modern styles for the round-trip properties.</summary>
internal static class SampleFiles
{
    public const string OldStyle = """
        // Copyright (c) Example. All rights reserved.
        using System;
        using System.Collections.Generic;

        namespace Legacy.Inventory
        {
            /// <summary>Raised when stock changes.</summary>
            public delegate void StockChangedHandler(object sender, int delta);

            /// <summary>Kinds of item.</summary>
            public enum ItemKind
            {
                /// <summary>Nothing.</summary>
                None = 0,
                Tool,
                Part
            }

            /// <summary>A warehouse.</summary>
            [Serializable]
            public class Warehouse : IDisposable
            {
                #region Fields

                private static readonly object Sync = new object();
                private readonly Dictionary<string, int> _stock = new Dictionary<string, int>();
                private int _a, _b;

                #endregion

                /// <summary>Raised when stock changes.</summary>
                public event StockChangedHandler StockChanged;

                static Warehouse()
                {
                    Console.WriteLine("loaded");
                }

                /// <summary>Creates a warehouse.</summary>
                public Warehouse()
                    : this(10)
                {
                }

                /// <summary>Creates a warehouse with a capacity.</summary>
                /// <param name="capacity">How much fits.</param>
                public Warehouse(int capacity)
                {
                    Capacity = capacity;
                }

                ~Warehouse()
                {
                    Dispose();
                }

                /// <summary>How much fits.</summary>
                public int Capacity { get; private set; }

                /// <summary>Stock of an item.</summary>
                public int this[string name]
                {
                    get { return _stock.TryGetValue(name, out var n) ? n : 0; }
                    set { _stock[name] = value; }
                }

                /// <summary>Adds stock.</summary>
                [Obsolete("Use Add(string, int)")]
                public void Add(string name)
                {
                    Add(name, 1);
                }

                public void Add(string name, int count)
                {
                    lock (Sync)
                    {
                        int current;
                        _stock.TryGetValue(name, out current);
                        _stock[name] = current + count;
                    }

                    var handler = StockChanged;
                    if (handler != null)
                    {
                        handler(this, count);
                    }
                }

        #if DEBUG
                public void Dump()
                {
                    Console.WriteLine(_stock.Count);
                }
        #else
                public void Dump()
                {
                }
        #endif

                public static Warehouse operator +(Warehouse a, Warehouse b)
                {
                    return a;
                }

                public void Dispose()
                {
                    _stock.Clear();
                }

                private class Slot
                {
                    public string Name;
                    public int Count;
                }
            }
        }

        """;

    public const string Modern = """"
        using System.Text.Json;

        namespace Modern.Orders;

        /// <summary>An order line.</summary>
        /// <param name="Sku">The product.</param>
        /// <param name="Quantity">How many.</param>
        public sealed record OrderLine(string Sku, int Quantity)
        {
            /// <summary>Whether the line is empty.</summary>
            public bool IsEmpty => Quantity == 0;
        }

        public readonly record struct Money(decimal Amount, string Currency);

        public interface IOrderStore
        {
            Task<Order?> FindAsync(Guid id, CancellationToken ct = default);

            Task SaveAsync(Order order, CancellationToken ct = default);

            static string Describe() => "store";
        }

        public enum Status { Draft, Placed, Shipped }

        public sealed class Order(Guid id, IOrderStore store)
        {
            private readonly List<OrderLine> _lines = [];

            public Guid Id { get; } = id;

            public required string Customer { get; init; }

            public Status Status { get; private set; } = Status.Draft;

            public IReadOnlyList<OrderLine> Lines => _lines;

            public string Describe() => Status switch
            {
                Status.Draft => "draft",
                Status.Placed => "placed",
                _ => "other",
            };

            public async Task PlaceAsync(CancellationToken ct)
            {
                if (_lines.Count == 0)
                {
                    throw new InvalidOperationException(Message());
                }

                Status = Status.Placed;
                await store.SaveAsync(this, ct);

                string Message() => $"Order {Id} has no lines";
            }

            public string ToJson()
            {
                var json = JsonSerializer.Serialize(_lines);
                return $$"""
                    { "id": "{{Id}}", "lines": {{json}} }
                    """;
            }

            public void Add<T>(T line)
                where T : OrderLine
            {
                _lines.Add(line);
            }
        }

        """";

    /// <summary>Tabs, CRLF, Allman braces and no final newline.</summary>
    public static readonly string TabsCrlf = string.Join("\r\n",
        "namespace Tabs",
        "{",
        "\tpublic class Counter",
        "\t{",
        "\t\tprivate int _count;",
        "\t\tprivate int _max;",
        "",
        "\t\t/// <summary>Increments.</summary>",
        "\t\tpublic void Increment()",
        "\t\t{",
        "\t\t\tif (_count < _max)",
        "\t\t\t{",
        "\t\t\t\t_count++;",
        "\t\t\t}",
        "\t\t}",
        "",
        "\t\tpublic int Count => _count;",
        "",
        "\t\tpublic void Reset()",
        "\t\t{",
        "\t\t\t_count = 0;",
        "\t\t}",
        "\t}",
        "",
        "\tpublic enum Mode",
        "\t{",
        "\t\tUp,",
        "\t\tDown",
        "\t}",
        "}");

    public const string Dense = """
        namespace Dense
        {
            public struct Vector
            {
                public double X;
                public double Y;
                public double Z;
                public static readonly Vector Zero = new Vector();
                public double Length => System.Math.Sqrt(X * X + Y * Y + Z * Z);
                public static Vector operator -(Vector v) => new Vector { X = -v.X, Y = -v.Y, Z = -v.Z };
                public static implicit operator double(Vector v) => v.Length;
                public override string ToString() => $"({X}, {Y}, {Z})";
            }

            public enum Axis
            {
                X,
                Y,
                Z,
            }

            public class Grid<TCell>
                where TCell : struct
            {
                private readonly TCell[,] _cells;

                public Grid(int width, int height) => _cells = new TCell[width, height];

                public TCell this[int x, int y]
                {
                    get => _cells[x, y];
                    set => _cells[x, y] = value;
                }

                public void Fill(TCell value)
                {
                    for (int x = 0; x < _cells.GetLength(0); x++)
                    {
                        for (int y = 0; y < _cells.GetLength(1); y++)
                        {
                            _cells[x, y] = value;
                        }
                    }
                }
            }
        }

        """;

    public static IEnumerable<object[]> All()
    {
        yield return ["OldStyle"];
        yield return ["Modern"];
        yield return ["TabsCrlf"];
        yield return ["Dense"];
    }

    public static string Get(string name) => name switch
    {
        "OldStyle" => OldStyle,
        "Modern" => Modern,
        "TabsCrlf" => TabsCrlf,
        "Dense" => Dense,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
