"""Wire stories of the demo corpus: national news every paper may run word for word.

Credited to "Bản tin chung" (a made-up wire service: the demo attributes no invented text to a real
agency) in a source line at the end, with no byline. Slots as in story_texts.py; no place slots (the
places they name are national). The same edition is the same text in every paper that runs it: the
near-duplicates the archive groups.
"""

from __future__ import annotations

from crawler.snapshot.story_texts import Topic

WIRE_SOURCE = "Bản tin chung"

WIRE = (
    Topic(
        key="gia-xang",
        marker="giá xăng",
        section="kinh-te",
        image="kinh-te",
        tags=("Giá cả", "Xăng dầu"),
        numbers=((120, 980), (19, 24)),
        wire=True,
        titles=(
            "Giá xăng điều chỉnh {a} đồng mỗi lít từ 15 giờ hôm nay",
            "Từ chiều nay, giá xăng thay đổi {a} đồng mỗi lít",
        ),
        leads=(
            "Liên bộ Công Thương - Tài chính điều chỉnh giá xăng {a} đồng mỗi lít từ 15 giờ ngày hôm nay; "
            "giá xăng RON 95 quanh mức {b} nghìn đồng.",
            "Kỳ điều hành giá xăng dầu tháng {thang}/{nam} đưa giá xăng thay đổi {a} đồng mỗi lít, giá bán "
            "lẻ RON 95 khoảng {b} nghìn đồng.",
        ),
        subheads=("Quỹ bình ổn không trích lập", "Giá thế giới biến động"),
        paragraphs=(
            (
                "Theo thông báo, giá xăng E5 RON 92 và RON 95 cùng thay đổi khoảng {a} đồng mỗi lít. Giá "
                "dầu diesel và dầu hỏa cũng được điều chỉnh theo diễn biến thị trường thế giới trong kỳ vừa "
                "qua.",
                "Trong kỳ điều hành này, giá xăng RON 95 ở mức khoảng {b} nghìn đồng mỗi lít, giá xăng E5 "
                "RON 92 thấp hơn chừng một nghìn đồng. Các mặt hàng dầu thay đổi ít hơn so với xăng.",
            ),
            (
                "Cơ quan điều hành cho biết giá thành phẩm xăng dầu bình quân trên thị trường thế giới "
                "trong {b} ngày qua có nhiều biến động do nguồn cung và nhu cầu tiêu thụ thay đổi.",
                "Liên bộ không trích lập và không chi sử dụng quỹ bình ổn giá xăng dầu trong kỳ này, để giá "
                "trong nước phản ánh sát giá thế giới.",
            ),
            (
                "Các doanh nghiệp đầu mối được yêu cầu bảo đảm nguồn cung, không để cửa hàng bán lẻ ngừng "
                "bán hàng khi giá thay đổi. Lực lượng quản lý thị trường tăng cường kiểm tra.",
                "Đây là kỳ điều hành giá xăng thường kỳ của tháng {thang}/{nam}. Kỳ điều hành tiếp theo dự "
                "kiến sau khoảng một tuần theo quy định hiện hành.",
            ),
            (
                "Giá xăng dầu tác động trực tiếp đến chi phí vận tải và giá nhiều mặt hàng thiết yếu, nên "
                "được các cơ quan quản lý theo dõi hằng tuần.",
                "Người dân có thể tra cứu giá bán lẻ tại từng vùng trên trang thông tin của các doanh "
                "nghiệp kinh doanh xăng dầu đầu mối.",
            ),
        ),
        captions=("Khách hàng mua xăng tại một cửa hàng sau khi giá xăng được điều chỉnh.",),
    ),
    Topic(
        key="khong-khi-lanh",
        marker="không khí lạnh",
        section="thoi-su",
        image="thoi-tiet",
        tags=("Thời tiết", "Rét đậm"),
        months=(11, 12, 1, 2),
        numbers=((6, 13), (2, 6)),
        wire=True,
        titles=(
            "Không khí lạnh tràn về, vùng núi phía Bắc rét đậm dưới {a} độ C",
            "Đợt không khí lạnh mới gây rét đậm trong {b} ngày",
        ),
        leads=(
            "Một đợt không khí lạnh mạnh đang tràn xuống miền Bắc; vùng núi có nơi rét đậm, rét hại với "
            "nhiệt độ thấp nhất dưới {a} độ C.",
            "Cơ quan khí tượng dự báo không khí lạnh gây rét đậm ở Bắc Bộ và Bắc Trung Bộ kéo dài khoảng "
            "{b} ngày, vùng núi cao có thể xuống {a} độ C.",
        ),
        subheads=("Bảo vệ cây trồng, vật nuôi", "Biển động mạnh"),
        paragraphs=(
            (
                "Do ảnh hưởng của không khí lạnh, từ đêm nay Bắc Bộ chuyển rét, trời có mưa nhỏ rải rác. "
                "Nhiệt độ thấp nhất ở vùng núi phổ biến dưới {a} độ C, có nơi xuất hiện sương muối.",
                "Đợt rét do không khí lạnh dự kiến kéo dài {b} ngày. Hà Nội có nhiệt độ thấp nhất khoảng 12 "
                "đến 14 độ C, trời nhiều mây, ban ngày hửng nắng yếu.",
            ),
            (
                "Trên biển, vịnh Bắc Bộ có gió đông bắc mạnh cấp 6, giật cấp 8, biển động. Tàu thuyền được "
                "khuyến cáo không ra khơi trong những ngày không khí lạnh tăng cường.",
                "Ngành nông nghiệp khuyến cáo người dân che chắn chuồng trại, dự trữ thức ăn cho trâu bò, "
                "không thả gia súc lên núi cao trong những ngày nhiệt độ dưới {a} độ C.",
            ),
            (
                "Các trường học vùng cao được phép cho học sinh nghỉ khi nhiệt độ xuống quá thấp. Người cao "
                "tuổi và trẻ nhỏ cần giữ ấm, không sưởi bằng than trong phòng kín.",
                "Đây là đợt không khí lạnh thứ {b} trong mùa đông năm nay. Sau đợt này, thời tiết có thể ấm "
                "dần lên vào cuối tuần.",
            ),
        ),
        captions=("Người dân vùng cao giữ ấm khi không khí lạnh tràn về.",),
    ),
    Topic(
        key="xuat-khau-gao",
        marker="xuất khẩu gạo",
        section="kinh-te",
        image="kinh-te",
        tags=("Xuất khẩu", "Lúa gạo"),
        numbers=((2, 8), (510, 640)),
        wire=True,
        titles=(
            "Xuất khẩu gạo đạt hơn {a} triệu tấn sau {thang} tháng",
            "Giá xuất khẩu gạo bình quân khoảng {b} USD mỗi tấn",
        ),
        leads=(
            "Tính đến tháng {thang}/{nam}, xuất khẩu gạo của cả nước đạt hơn {a} triệu tấn, giá bình quân "
            "khoảng {b} USD mỗi tấn.",
            "Số liệu mới công bố cho thấy xuất khẩu gạo năm {nam} giữ đà ổn định với hơn {a} triệu tấn, "
            "trong bối cảnh nhu cầu thế giới nhiều biến động.",
        ),
        subheads=("Thị trường châu Á dẫn đầu", "Gạo chất lượng cao lên ngôi"),
        paragraphs=(
            (
                "Philippines, Indonesia và Malaysia tiếp tục là những thị trường nhập khẩu gạo lớn của Việt "
                "Nam. Tổng lượng xuất khẩu gạo đến nay vượt {a} triệu tấn.",
                "Giá xuất khẩu gạo bình quân đạt khoảng {b} USD mỗi tấn, chênh lệch đáng kể giữa gạo thường "
                "và các loại gạo thơm, gạo đặc sản.",
            ),
            (
                "Tỷ trọng gạo thơm và gạo chất lượng cao trong cơ cấu xuất khẩu gạo tăng lên, giúp giá trị "
                "thu về cao hơn dù sản lượng không tăng nhiều.",
                "Các doanh nghiệp cho biết đơn hàng cho những tháng cuối năm {nam} khá ổn định, tuy vậy cần "
                "theo dõi chính sách nhập khẩu của một số nước.",
            ),
            (
                "Cơ quan quản lý khuyến cáo doanh nghiệp đa dạng thị trường, xây dựng thương hiệu và liên "
                "kết với nông dân để có nguồn lúa đạt chuẩn.",
                "Vùng đồng bằng sông Cửu Long vẫn là nơi cung cấp phần lớn lượng lúa cho xuất khẩu gạo, với "
                "nhiều cánh đồng liên kết quy mô lớn.",
            ),
        ),
        captions=("Đóng bao gạo tại một nhà máy phục vụ xuất khẩu gạo.",),
    ),
    Topic(
        key="chi-so-gia",
        marker="chỉ số giá tiêu dùng",
        section="kinh-te",
        image="kinh-te",
        tags=("CPI", "Giá cả"),
        numbers=((11, 69), (2, 4)),
        wire=True,
        titles=(
            "Chỉ số giá tiêu dùng tháng {thang} tăng 0,{a}%",
            "Chỉ số giá tiêu dùng bình quân tăng khoảng {b}%",
        ),
        leads=(
            "Chỉ số giá tiêu dùng tháng {thang}/{nam} tăng 0,{a}% so với tháng trước; bình quân từ đầu năm "
            "tăng khoảng {b}% so với cùng kỳ.",
            "Theo cơ quan thống kê, chỉ số giá tiêu dùng tháng {thang}/{nam} nhích 0,{a}%, chủ yếu do giá "
            "nhóm ăn uống và dịch vụ tăng.",
        ),
        subheads=("Nhóm hàng ăn uống tăng mạnh nhất", "Lạm phát trong tầm kiểm soát"),
        paragraphs=(
            (
                "Trong mức tăng 0,{a}% của chỉ số giá tiêu dùng, nhóm hàng ăn và dịch vụ ăn uống đóng góp "
                "nhiều nhất do giá thực phẩm tăng theo mùa.",
                "So với cùng kỳ năm trước, chỉ số giá tiêu dùng tăng khoảng {b}%, nằm trong mục tiêu kiểm "
                "soát lạm phát của năm {nam}.",
            ),
            (
                "Giá nhà ở, điện nước và vật liệu xây dựng tăng nhẹ; ngược lại, nhóm giao thông giảm nhờ "
                "giá nhiên liệu hạ trong tháng.",
                "Giá dịch vụ y tế và giáo dục ổn định. Giá vàng và đô la Mỹ biến động theo thị trường thế "
                "giới nhưng không tính vào rổ hàng hóa.",
            ),
            (
                "Các chuyên gia cho rằng áp lực giá cả những tháng cuối năm đến từ nhu cầu mua sắm tăng dịp "
                "lễ, Tết và chi phí vận chuyển.",
                "Lạm phát cơ bản tăng thấp hơn chỉ số chung, cho thấy mặt bằng giá vẫn được giữ ổn định "
                "trong tháng {thang}.",
            ),
        ),
        captions=("Người dân mua thực phẩm tại chợ; giá thực phẩm tác động đến chỉ số giá tiêu dùng.",),
    ),
)
